/** Ids for new tracks and clips, made here so an optimistic edit and the backend agree on them. */
let counter = 0;
export function newId(prefix: 'trk' | 'clp'): string {
  counter = (counter + 1) % 1296;
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36).padStart(2, '0')}${Math.random().toString(36).slice(2, 6)}`;
}

/** Track colours, picked in turn for new tracks. */
export const TRACK_COLOURS = ['#e07a5f', '#81b29a', '#f2cc8f', '#6c9bd2', '#b388eb', '#4fb0c6', '#e5989b', '#9bc53d'];
