import type { AudioCodec } from './types';

/** Container a file's magic bytes announce, or null. */
export type Container = AudioCodec | null;

const ascii = (b: Uint8Array, at: number, n: number): string => {
  let s = '';
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
};

/** Size of a leading ID3v2 tag (0 if none); taggers put them in front of MP3 and, wrongly, FLAC files. */
export function id3v2Length(b: Uint8Array): number {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3') return 0;
  // Synchsafe size: 7 bits per byte, so a stray high bit means this is not really a tag.
  if ((b[6] | b[7] | b[8] | b[9]) & 0x80) return 0;
  const size = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  const footer = b[5] & 0x10 ? 10 : 0;
  return Math.min(b.length, 10 + size + footer);
}

/** True when four bytes look like an MPEG audio frame header (layer I–III, valid rate and bitrate). */
export function isMpegFrameHeader(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3; // 1 is reserved
  const layer = (b[at + 1] >> 1) & 3; // 0 is reserved
  const bitrate = b[at + 2] >> 4; // 15 is invalid
  const rate = (b[at + 2] >> 2) & 3; // 3 is reserved
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/** Audio container from magic bytes (never from the file name). */
export function sniffContainer(b: Uint8Array): Container {
  const tag = id3v2Length(b);
  const head = ascii(b, tag, 4);
  if (tag === 0) {
    if (head === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return 'wav';
    if ((head === 'RF64' || head === 'BW64') && ascii(b, 8, 4) === 'WAVE') return 'rf64';
    if (head === 'FORM' && (ascii(b, 8, 4) === 'AIFF' || ascii(b, 8, 4) === 'AIFC')) return 'aiff';
    if (head === 'OggS') return 'ogg';
  }
  if (head === 'fLaC') return 'flac';
  // An ID3v2 tag in front of anything but FLAC means MP3 (the decoder judges the frames).
  if (tag > 0) return 'mp3';
  if (isMpegFrameHeader(b, 0) && (b.length < 4096 || looksLikeMpegStream(b))) return 'mp3';
  return null;
}

/** A lone 0xFFEx pair is common in binary files; demand a second frame where the first one says it ends. */
function looksLikeMpegStream(b: Uint8Array): boolean {
  const len = mpegFrameLength(b, 0);
  return len > 0 && isMpegFrameHeader(b, len);
}

const BITRATES: Record<string, number[]> = {
  // [version group][layer] tables in kbit/s, index 1..14.
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_RATES = [
  [11025, 12000, 8000], // version 2.5
  [0, 0, 0],
  [22050, 24000, 16000], // version 2
  [44100, 48000, 32000], // version 1
];

/** Fields of one MPEG audio frame header. */
export interface MpegFrame {
  sampleRate: number;
  channels: number;
  samplesPerFrame: number;
  bitrateKbps: number;
  length: number;
}

/** Parses the MPEG audio frame header at `at`, or null if there is none. */
export function mpegFrame(b: Uint8Array, at: number): MpegFrame | null {
  if (!isMpegFrameHeader(b, at)) return null;
  const version = (b[at + 1] >> 3) & 3;
  const layer = 4 - ((b[at + 1] >> 1) & 3); // 1, 2, 3
  const v1 = version === 3;
  const table = v1 ? BITRATES[`v1l${layer}`] : layer === 1 ? BITRATES.v2l1 : BITRATES.v2l23;
  const bitrateKbps = table[b[at + 2] >> 4];
  const sampleRate = MPEG_RATES[version][(b[at + 2] >> 2) & 3];
  const padding = (b[at + 2] >> 1) & 1;
  const channels = b[at + 3] >> 6 === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && !v1 ? 576 : 1152;
  if (bitrateKbps === 0) return { sampleRate, channels, samplesPerFrame, bitrateKbps, length: 0 }; // free format
  const length =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { sampleRate, channels, samplesPerFrame, bitrateKbps, length };
}

function mpegFrameLength(b: Uint8Array, at: number): number {
  return mpegFrame(b, at)?.length ?? 0;
}

/** Names a recognisable non-audio file type (for a specific error), or null. */
export function describeNonAudio(b: Uint8Array): string | null {
  const h = ascii(b, 0, 12);
  if (h.startsWith('\x89PNG')) return 'a PNG image';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'a JPEG image';
  if (h.startsWith('GIF8')) return 'a GIF image';
  if (h.startsWith('%PDF')) return 'a PDF document';
  if (h.startsWith('PK\x03\x04')) return 'a ZIP archive (or Office document)';
  if (h.startsWith('RIFF') && h.slice(8, 12) !== 'WAVE') return `a RIFF '${h.slice(8, 12)}' file (not WAVE)`;
  if (h.startsWith('\x7fELF')) return 'an executable';
  if (h.startsWith('<?xml') || h.startsWith('<!DOC') || h.startsWith('<html')) return 'an XML/HTML document';
  if (looksLikeText(b)) return 'a text file';
  return null;
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    // Printable ASCII, whitespace, or UTF-8 lead/continuation bytes.
    if (!(c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0x80)) return false;
  }
  return true;
}

export { ascii };
