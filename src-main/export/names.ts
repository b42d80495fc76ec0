/**
 * File names for exported stems that are valid on Windows, macOS and Linux: no path separators
 * or characters Windows forbids, no control characters, no trailing dots or spaces (Windows strips
 * them, so two names would collide), no reserved DOS device names, no leading dot (hidden on
 * Unix), and short enough that the full name stays well under the 255-byte limit of common file systems.
 */

// Windows reserves these as device names with or without an extension, in any case (COM¹–³ too).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
const MAX_BYTES = 120;

/** A file-name-safe version of `name` (never empty; `fallback` when nothing usable remains). */
export function sanitizeFileName(name: string, fallback = 'Track'): string {
  let s = name.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  s = truncateUtf8(s, MAX_BYTES).replace(/[\s.]+$/, '');
  if (s.length === 0) s = fallback;
  if (RESERVED.test(s)) s = `_${s}`;
  return s;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
function truncateUtf8(s: string, maxBytes: number): string {
  const enc = new TextEncoder();
  if (enc.encode(s).length <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = enc.encode(ch).length;
    if (bytes + b > maxBytes) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** `NN_TrackName.wav` for the track at 0-based `index` (NN is 1-based, at least two digits). */
export function stemFileName(index: number, trackName: string): string {
  return `${String(index + 1).padStart(2, '0')}_${sanitizeFileName(trackName)}.wav`;
}

/** Name of the mixdown file (cannot collide with a stem: stems always start with digits and "_"). */
export const MIXDOWN_FILE = 'mixdown.wav';

/** The manifest every Wavehouse export writes; its presence marks a folder as a previous export. */
export const EXPORT_MANIFEST = 'wavehouse-export.json';
