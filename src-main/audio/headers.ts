// Header-only probes for the non-WAV containers: enough to list a library fast and to judge what a
// third-party decoder returns (e.g. fewer frames than declared means the file is cut short).
import { ascii, id3v2Length, mpegFrame } from './sniff';
import { AudioDecodeError, NeedMoreBytes, type AudioInfo, type AudioWarning } from './types';

const be16 = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];
const be32 = (b: Uint8Array, p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
const le32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

/** What a header says, plus the length it declares (which the present bytes may fall short of). */
export interface HeaderInfo extends AudioInfo {
  declaredFrames: number | null;
}

function fail(code: ConstructorParameters<typeof AudioDecodeError>[0], reason: string): never {
  throw new AudioDecodeError(code, reason);
}

function checkRateChannels(what: string, sampleRate: number, channels: number): void {
  if (channels === 0) fail('bad-header', `${what} header declares 0 channels`);
  if (!(sampleRate > 0)) fail('bad-header', `${what} header declares a sample rate of ${sampleRate} Hz`);
}

/** 80-bit IEEE extended (AIFF's sample rate field) to a number. */
function extended80(b: Uint8Array, p: number): number {
  const exp = ((b[p] & 0x7f) << 8) | b[p + 1];
  const hi = be32(b, p + 2);
  const lo = be32(b, p + 6);
  if (exp === 0 && hi === 0 && lo === 0) return 0;
  if (exp === 0x7fff) return NaN;
  const v = (hi * 2 ** 32 + lo) * 2 ** (exp - 16383 - 63);
  return b[p] & 0x80 ? -v : v;
}

const AIFC_FLOAT: Record<string, number> = { fl32: 32, FL32: 32, fl64: 64, FL64: 64 };
const AIFC_PCM = new Set(['NONE', 'sowt', 'twos', 'raw ', 'in24', '42ni', 'in32', '23ni']);

/** AIFF/AIFC: COMM chunk fields; frames bounded by the SSND bytes present (`b` may be the head of a longer file). */
export function probeAiff(b: Uint8Array, totalLength = b.length): HeaderInfo {
  const aifc = ascii(b, 8, 4) === 'AIFC';
  let comm = -1;
  let commSize = 0;
  let ssnd = -1;
  let ssndSize = 0;
  for (let p = 12; p + 8 <= totalLength; ) {
    if (p + 8 > b.length) throw new NeedMoreBytes(p + 8);
    const id = ascii(b, p, 4);
    const size = be32(b, p + 4);
    if (id === 'COMM' && comm < 0) (comm = p + 8), (commSize = size);
    if (id === 'SSND' && ssnd < 0) (ssnd = p + 8), (ssndSize = size);
    p += 8 + size + (size & 1);
  }
  if (comm >= 0 && comm + 22 > b.length && b.length < totalLength) throw new NeedMoreBytes(comm + 22);
  if (comm < 0 || comm + 18 > b.length || commSize < 18) fail(comm < 0 ? 'missing-fmt' : 'truncated', 'AIFF file has no complete COMM chunk');
  const channels = be16(b, comm);
  const declaredFrames = be32(b, comm + 2);
  const bits = be16(b, comm + 6);
  const sampleRate = extended80(b, comm + 8);
  checkRateChannels('AIFF', sampleRate, channels);
  let format: AudioInfo['format'] = 'pcm';
  let bitDepth = bits;
  if (aifc && commSize >= 22 && comm + 22 <= b.length) {
    const comp = ascii(b, comm + 18, 4);
    if (AIFC_FLOAT[comp]) (format = 'float'), (bitDepth = AIFC_FLOAT[comp]);
    else if (!AIFC_PCM.has(comp)) fail('unsupported-codec', `AIFF-C compression '${comp}' is not supported`);
  }
  if (ssnd < 0) fail('missing-data', 'AIFF file has no SSND chunk');
  const warnings: AudioWarning[] = [];
  const frameBytes = channels * Math.ceil(bitDepth / 8);
  const present = Math.max(0, Math.min(ssndSize, totalLength - ssnd) - 8);
  const presentFrames = Math.floor(present / frameBytes);
  const frames = Math.min(declaredFrames, presentFrames);
  if (presentFrames < declaredFrames)
    warnings.push({ code: 'truncated', message: `COMM declares ${declaredFrames} frames but only ${presentFrames} are present; what is there was read` });
  return { sampleRate, channels, bitDepth, format, codec: 'aiff', frames, warnings, declaredFrames };
}

/** FLAC: STREAMINFO (the first metadata block, mandatory). */
export function probeFlac(b: Uint8Array): HeaderInfo {
  const at = id3v2Length(b);
  const si = at + 8; // after 'fLaC' and the 4-byte block header
  if (b.length < si + 18) fail('truncated', `FLAC file is ${b.length} bytes, too short for its STREAMINFO block`);
  if ((b[at + 4] & 0x7f) !== 0) fail('bad-header', 'FLAC stream does not start with a STREAMINFO block');
  const sampleRate = (b[si + 10] << 12) | (b[si + 11] << 4) | (b[si + 12] >> 4);
  const channels = ((b[si + 12] >> 1) & 7) + 1;
  const bitDepth = (((b[si + 12] & 1) << 4) | (b[si + 13] >> 4)) + 1;
  const total = (b[si + 13] & 0x0f) * 2 ** 32 + be32(b, si + 14);
  checkRateChannels('FLAC', sampleRate, channels);
  return { sampleRate, channels, bitDepth, format: 'pcm', codec: 'flac', frames: total || null, warnings: [], declaredFrames: total || null };
}

/** Ogg Vorbis/Opus: identification header, and the final page's granule position for the length. */
export function probeOgg(b: Uint8Array): HeaderInfo {
  if (b.length < 28) fail('truncated', 'Ogg file is too short for its first page');
  const segs = b[26];
  const pkt = 27 + segs;
  if (pkt + 19 > b.length) fail('truncated', 'Ogg file ends inside its first page');
  let channels: number;
  let sampleRate: number;
  let preSkip = 0;
  if (b[pkt] === 1 && ascii(b, pkt + 1, 6) === 'vorbis') {
    channels = b[pkt + 11];
    sampleRate = le32(b, pkt + 12);
  } else if (ascii(b, pkt, 8) === 'OpusHead') {
    channels = b[pkt + 9];
    preSkip = b[pkt + 10] | (b[pkt + 11] << 8);
    sampleRate = 48000; // Opus always decodes at 48 kHz; the header's input rate is informational
  } else {
    fail('unsupported-codec', `Ogg stream codec '${ascii(b, pkt, 8).replace(/[^\x20-\x7e]/g, '?')}' is not Vorbis or Opus`);
  }
  checkRateChannels('Ogg', sampleRate, channels);
  // The last page's granule position is the stream's length in samples (less Opus pre-skip).
  let frames: number | null = null;
  for (let p = b.length - 27; p >= Math.max(0, b.length - 65536); p--) {
    if (b[p] === 0x4f && ascii(b, p, 4) === 'OggS') {
      const g = le32(b, p + 6) + le32(b, p + 10) * 2 ** 32;
      if (le32(b, p + 10) !== 0xffffffff) frames = Math.max(0, g - preSkip);
      break;
    }
  }
  return { sampleRate, channels, bitDepth: 0, format: 'lossy', codec: 'ogg', frames, warnings: [], declaredFrames: frames };
}

/** MP3: first frame header, and the Xing/Info or VBRI frame count when the encoder wrote one. */
export function probeMp3(b: Uint8Array): HeaderInfo {
  let p = id3v2Length(b);
  const limit = Math.min(b.length - 4, p + 65536);
  for (; p <= limit; p++) {
    const f = mpegFrame(b, p);
    // Insist on a second header where the first frame ends, so stray 0xFFE bytes do not count.
    if (f && f.length > 0 && (p + f.length + 4 > b.length || mpegFrame(b, p + f.length))) break;
  }
  const f = p <= limit ? mpegFrame(b, p) : null;
  if (!f) fail('bad-header', 'no MPEG audio frame found in the first 64 KB');
  const v1 = ((b[p + 1] >> 3) & 3) === 3;
  const side = v1 ? (f.channels === 1 ? 17 : 32) : f.channels === 1 ? 9 : 17;
  let frames: number | null = null;
  const x = p + 4 + side;
  const tag = ascii(b, x, 4);
  if ((tag === 'Xing' || tag === 'Info') && x + 12 <= b.length && be32(b, x + 4) & 1) {
    const flags = be32(b, x + 4);
    frames = be32(b, x + 8) * f.samplesPerFrame;
    // A LAME tag after the Xing fields records encoder delay and padding; gapless decoders drop both.
    const lame = x + 8 + 4 + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
    if (lame + 24 <= b.length && /^(LAME|Lavc|Lavf)/.test(ascii(b, lame, 4))) {
      const delay = (b[lame + 21] << 4) | (b[lame + 22] >> 4);
      const padding = ((b[lame + 22] & 0x0f) << 8) | b[lame + 23];
      frames = Math.max(0, frames - delay - padding);
    }
  }
  else if (ascii(b, p + 36, 4) === 'VBRI' && p + 54 <= b.length) frames = be32(b, p + 50) * f.samplesPerFrame;
  return { sampleRate: f.sampleRate, channels: f.channels, bitDepth: 0, format: 'lossy', codec: 'mp3', frames, warnings: [], declaredFrames: frames };
}
