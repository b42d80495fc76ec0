/** Formatting for sample metadata cells: short, fixed-width friendly, "–" for unknown. */

/** 0.25 → "0.25 s", 12.3 → "12.3 s", 75 → "1:15". */
export function formatLength(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m}:${String(Math.round(seconds - m * 60)).padStart(2, '0')}`;
}

/** 44100 → "44.1k", 16000 → "16k". */
export function formatRate(hz: number | null): string {
  if (hz === null) return '–';
  return `${Math.round(hz / 100) / 10}k`;
}

export function formatBits(bits: number | null, sampleFormat: string | null): string {
  if (bits === null) return '–';
  return sampleFormat === 'float' ? `${bits}f` : String(bits);
}

export function formatChannels(channels: number | null): string {
  if (channels === null) return '–';
  return channels === 1 ? 'M' : channels === 2 ? 'St' : String(channels);
}
