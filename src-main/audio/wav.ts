import { ascii, describeNonAudio } from './sniff';
import { AudioDecodeError, NeedMoreBytes, type AudioInfo, type AudioWarning, type AudioWarningCode, type DecodeOptions, type DecodedAudio } from './types';
import { clampToUnit, clampWarnings } from './clamp';

/** Where the samples of a WAV file are and how they are laid out; every size is bounded by the real byte length. */
export interface WavLayout {
  info: AudioInfo;
  dataOffset: number;
  /** Bytes of sample data actually present (never more than the file holds). */
  dataBytes: number;
  blockAlign: number;
  /** Bytes per sample slot; samples are left-justified in it, so decoding keys on this, not on valid bits. */
  containerBytes: number;
  truncated: boolean;
}

const TAG_PCM = 0x0001;
const TAG_FLOAT = 0x0003;
const TAG_EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE_* GUIDs share this tail after their first two bytes (the old format tag).
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const KNOWN_TAGS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'G.711 A-law',
  0x0007: 'G.711 μ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x0092: 'Dolby AC-3 over S/PDIF',
  0x0161: 'Windows Media Audio',
  0x2000: 'Dolby AC-3',
  0x674f: 'Ogg Vorbis',
};
const MAX_CHANNELS = 1024;
const MAX_RATE = 1_536_000;
const U32_UNKNOWN = 0xffffffff;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const u16 = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8);
const u32 = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
// 64-bit sizes as doubles: exact up to 2^53 bytes, far beyond any file.
const u64 = (b: Uint8Array, p: number): number => u32(b, p) + u32(b, p + 4) * 2 ** 32;

function isChunkId(b: Uint8Array, p: number): boolean {
  if (p + 4 > b.length) return false;
  for (let i = p; i < p + 4; i++) if (b[i] < 0x20 || b[i] > 0x7e) return false;
  return true;
}

function fail(code: ConstructorParameters<typeof AudioDecodeError>[0], reason: string): never {
  throw new AudioDecodeError(code, reason);
}

function rejectNonWav(b: Uint8Array): never {
  if (b.length === 0) fail('empty', 'the file is empty (0 bytes)');
  const head = ascii(b, 0, 4);
  if (head === 'RIFX') fail('unsupported-codec', 'big-endian RIFX WAV is not supported');
  if ((head === 'RIFF' || head === 'RF64' || head === 'BW64') && b.length < 12)
    fail('truncated', `the file is ${b.length} bytes, shorter than the 12-byte ${head} header`);
  const what = describeNonAudio(b);
  if (what) fail('not-audio', `this is ${what}, not a WAV file`);
  fail('unknown-format', `no RIFF/RF64 WAVE header (starts with bytes ${hex(b, 0, 4)})`);
}

const hex = (b: Uint8Array, at: number, n: number): string =>
  Array.from(b.subarray(at, at + n), (x) => x.toString(16).padStart(2, '0')).join(' ');

interface Chunks {
  rf64: boolean;
  fmtAt: number;
  fmtSize: number;
  dataAt: number;
  dataDeclared: number;
  dataSizeUnknown: boolean;
  seen: string[];
  warnings: AudioWarning[];
}

const warn = (list: AudioWarning[], code: AudioWarningCode, message: string): void => void list.push({ code, message });

/** True when a plausible chunk header (printable id, size within the file) starts at `p`. */
function chunkHeaderAt(b: Uint8Array, p: number, len: number): boolean {
  return p + 8 <= Math.min(len, b.length) && isChunkId(b, p) && p + 8 + u32(b, p + 4) <= len;
}

/** Walks the chunk list once; each step advances at least 8 bytes, so it always ends. */
function walkChunks(b: Uint8Array, len: number): Chunks {
  const head = ascii(b, 0, 4);
  if (len < 12 || !(head === 'RIFF' || head === 'RF64' || head === 'BW64') || ascii(b, 8, 4) !== 'WAVE') rejectNonWav(b);
  const rf64 = head !== 'RIFF';
  const c: Chunks = { rf64, fmtAt: -1, fmtSize: 0, dataAt: -1, dataDeclared: 0, dataSizeUnknown: false, seen: [], warnings: [] };
  let ds64Data = -1;
  const ds64Table = new Map<string, number>();
  const riffSize = u32(b, 4);
  // RF64 sets it to 0xFFFFFFFF by design (the real size is in ds64); in plain RIFF it means "never finalised".
  if (!rf64 && (riffSize === 0 || riffSize === U32_UNKNOWN))
    warn(c.warnings, 'riff-size-unset', `the RIFF size is ${riffSize === 0 ? '0' : '0xFFFFFFFF'} (never filled in); chunks were read up to the end of the file`);
  let pos = 12;
  while (pos + 8 <= len) {
    if (pos + 8 > b.length) throw new NeedMoreBytes(pos + 8);
    if (!isChunkId(b, pos)) {
      if (c.fmtAt >= 0 && c.dataAt >= 0) {
        warn(c.warnings, 'trailing-data', `${len - pos} bytes after the audio at byte ${pos} are not a chunk and were ignored`);
        break;
      }
      fail('bad-chunk', `unreadable chunk id (${hex(b, pos, 4)}) at byte ${pos}; a previous chunk size is probably wrong`);
    }
    const id = ascii(b, pos, 4);
    let size = u32(b, pos + 4);
    const body = pos + 8;
    c.seen.push(id);
    if (rf64 && id === 'ds64') {
      if (body + Math.min(size, 28 + 12 * 16) > b.length && b.length < len) throw new NeedMoreBytes(body + Math.min(size, 28 + 12 * 16));
      if (size < 28 || body + 28 > len) fail('bad-header', `ds64 chunk is ${Math.min(size, len - body)} bytes, needs 28`);
      ds64Data = u64(b, body + 8);
      const entries = Math.min(u32(b, body + 24), Math.floor((Math.min(size, b.length - body) - 28) / 12));
      for (let i = 0; i < entries; i++) ds64Table.set(ascii(b, body + 28 + i * 12, 4), u64(b, body + 28 + i * 12 + 4));
    }
    if (size === U32_UNKNOWN) {
      if (rf64 && id === 'data' && ds64Data >= 0) size = ds64Data;
      else if (rf64 && ds64Table.has(id)) size = ds64Table.get(id)!;
      else if (id === 'data') {
        // Recorders that crash before finalising leave 0xFFFFFFFF: the data runs to the end of the file.
        c.dataSizeUnknown = true;
        size = len - body;
        warn(c.warnings, 'data-size-unset', 'the data chunk size is 0xFFFFFFFF (never filled in); samples were read up to the end of the file');
      } else if (rf64) fail('bad-header', `RF64 chunk '${id}' has size 0xFFFFFFFF but no ds64 entry`);
    }
    if (id === 'data' && size === 0 && c.dataAt < 0 && body < len) {
      // A recorder that never finalised writes 0; a real empty data chunk is followed by another chunk or the end.
      if (body + 8 > b.length && b.length < len) throw new NeedMoreBytes(body + 8);
      if (!chunkHeaderAt(b, body, len)) {
        c.dataSizeUnknown = true;
        size = len - body;
        warn(c.warnings, 'data-size-zero', `the data chunk size is 0 but ${size} bytes follow it; they were read as samples up to the end of the file`);
      }
    }
    if (id === 'fmt ' && c.fmtAt < 0) {
      c.fmtAt = body;
      c.fmtSize = size;
    }
    if (id === 'data' && c.dataAt < 0) {
      c.dataAt = body;
      c.dataDeclared = size;
    }
    if (body + size > len) {
      if (id === 'data') break; // truncation is judged by the caller
      if (id === 'fmt ' && body + 16 <= len) {
        // fmt longer than the file: keep its 16 basic bytes, but nothing can follow it.
        c.fmtSize = len - body;
        warn(c.warnings, 'fmt-overrun', `the fmt chunk declares ${size} bytes but only ${len - body} remain; its first 16 were used`);
        break;
      }
      if (c.fmtAt >= 0 && c.dataAt >= 0) {
        warn(c.warnings, 'chunk-overrun', `chunk '${id}' at byte ${pos} declares ${size} bytes but only ${len - body} remain; it was ignored`);
        break;
      }
      fail('bad-chunk', `chunk '${id}' at byte ${pos} declares ${size} bytes but only ${len - body} remain`);
    }
    let next = body + size + (size & 1);
    // Some writers forget the pad byte after an odd-sized chunk: follow whichever offset holds a chunk id.
    if (size & 1 && next + 8 <= len && !isChunkId(b, next) && isChunkId(b, next - 1)) {
      next -= 1;
      warn(c.warnings, 'missing-pad-byte', `chunk '${id}' has odd size ${size} without its pad byte; the next chunk was found one byte earlier`);
    }
    pos = next;
  }
  if (rf64 && ds64Data < 0) warn(c.warnings, 'no-ds64', 'an RF64 file without its ds64 chunk; the 32-bit chunk sizes were used');
  return c;
}

/** Parses a WAV/RF64 header and locates its samples without reading them. */
export function parseWav(b: Uint8Array, totalLength = b.length): WavLayout {
  const c = walkChunks(b, totalLength);
  if (c.fmtAt < 0) fail('missing-fmt', `no 'fmt ' chunk (chunks: ${c.seen.join(', ') || 'none'})`);
  if (c.fmtAt >= 0 && c.fmtAt + Math.min(c.fmtSize, 40) > b.length && b.length < totalLength) throw new NeedMoreBytes(c.fmtAt + 40);
  if (c.fmtSize < 16 || c.fmtAt + 16 > totalLength) fail('bad-header', `fmt chunk is ${c.fmtSize} bytes, needs at least 16`);
  const f = c.fmtAt;
  let tag = u16(b, f);
  const channels = u16(b, f + 2);
  const sampleRate = u32(b, f + 4);
  const blockAlignDeclared = u16(b, f + 12);
  const bits = u16(b, f + 14);
  let validBits = bits;
  const warnings = c.warnings;
  const extensible = tag === TAG_EXTENSIBLE;
  if (extensible) {
    if (c.fmtSize < 40 || u16(b, f + 16) < 22) fail('bad-header', `WAVE_FORMAT_EXTENSIBLE fmt chunk is ${c.fmtSize} bytes, needs 40`);
    validBits = u16(b, f + 18) || bits;
    for (let i = 0; i < 14; i++)
      if (b[f + 26 + i] !== GUID_TAIL[i]) fail('unsupported-codec', `WAVE_FORMAT_EXTENSIBLE sub-format {${hex(b, f + 24, 16)}} is neither PCM nor IEEE float`);
    tag = u16(b, f + 24);
  }
  if (tag !== TAG_PCM && tag !== TAG_FLOAT) {
    const name = KNOWN_TAGS[tag];
    fail('unsupported-codec', `WAV format tag 0x${tag.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''} is not PCM or IEEE float`);
  }
  if (channels === 0) fail('bad-header', 'fmt chunk declares 0 channels');
  if (channels > MAX_CHANNELS) fail('bad-header', `fmt chunk declares ${channels} channels (more than ${MAX_CHANNELS})`);
  if (sampleRate === 0) fail('bad-header', 'fmt chunk declares a sample rate of 0 Hz');
  if (sampleRate > MAX_RATE) fail('bad-header', `fmt chunk declares an implausible sample rate of ${sampleRate} Hz`);
  if (bits === 0) fail('bad-header', 'fmt chunk declares 0 bits per sample');
  if (validBits > bits) fail('bad-header', `valid bits (${validBits}) exceed the container (${bits})`);
  const float = tag === TAG_FLOAT;
  let containerBytes = Math.ceil(bits / 8);
  // A block align that is a whole number of wider slots per channel means a padded container (e.g. 24 in 32).
  const slot = blockAlignDeclared / channels;
  if (Number.isInteger(slot) && slot >= containerBytes && slot <= 8) containerBytes = slot;
  else warn(warnings, 'block-align-assumed', `block align ${blockAlignDeclared} does not fit ${channels} × ${bits}-bit samples; ${channels * containerBytes} was assumed`);
  // Plain headers give bits per sample in whole bytes; an odd depth (7, 12…) is read left-justified in whole-byte slots.
  if (!float && !extensible && bits % 8 !== 0)
    warn(warnings, 'unusual-bit-depth', `${bits} bits per sample is not a standard depth; samples were read as ${containerBytes * 8}-bit${containerBytes === 1 ? ' unsigned' : ''} slots`);
  if (float && containerBytes !== 4 && containerBytes !== 8) fail('bad-header', `IEEE float with ${bits} bits per sample (only 32 and 64 exist)`);
  if (!float && containerBytes > 4) fail('unsupported-codec', `${bits}-bit integer PCM in ${containerBytes}-byte slots is not supported`);
  const blockAlign = channels * containerBytes;

  if (c.dataAt < 0) fail('missing-data', `no 'data' chunk (chunks: ${c.seen.join(', ')})`);
  const present = totalLength - c.dataAt;
  const dataBytesRaw = Math.min(c.dataDeclared, present);
  const truncated = !c.dataSizeUnknown && c.dataDeclared > present;
  const frames = Math.floor(dataBytesRaw / blockAlign);
  if (truncated) warn(warnings, 'truncated', `the data chunk declares ${c.dataDeclared} bytes but only ${present} are present; what is there was read`);
  else if (dataBytesRaw % blockAlign) {
    const extra = dataBytesRaw % blockAlign;
    warn(warnings, 'partial-frame', `the data ends with ${extra === 1 ? '1 byte' : `${extra} bytes`} of an incomplete frame; ${extra === 1 ? 'it was' : 'they were'} dropped`);
  }
  if (frames === 0) warn(warnings, 'no-frames', 'the file holds no complete sample frame');
  const info: AudioInfo = {
    sampleRate,
    channels,
    bitDepth: float ? containerBytes * 8 : validBits,
    format: float ? 'float' : 'pcm',
    codec: c.rf64 ? 'rf64' : 'wav',
    frames,
    warnings,
  };
  return { info, dataOffset: c.dataAt, dataBytes: frames * blockAlign, blockAlign, containerBytes, truncated };
}

/**
 * Header-only look at a WAV/RF64 file: format, rate, channels and frame count, without decoding samples.
 * `bytes` may be just the head of a file of `totalLength` bytes; NeedMoreBytes says how much more it needs.
 */
export function probeWav(bytes: Uint8Array, totalLength = bytes.length): AudioInfo {
  return guard(() => parseWav(bytes, totalLength).info);
}

/** Decodes WAV/RF64 (8-bit unsigned, 16/24/32-bit int, 32/64-bit float, extensible) to planar float in [-1, 1]. */
export function decodeWav(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedAudio {
  return guard(() => {
    const w = parseWav(bytes);
    if (w.truncated && (opts.strict || w.info.frames === 0))
      fail('truncated', w.info.warnings.find((x) => x.code === 'truncated')?.message.replace(/; what is there was read$/, '') ?? 'data chunk is truncated');
    const data = deinterleave(bytes, w);
    // Only float can hold values beyond ±1, NaN or infinities; integer PCM is in range by construction.
    const warnings = w.info.format === 'float' ? [...w.info.warnings, ...clampWarnings(clampToUnit(data), 'float samples')] : w.info.warnings;
    return { ...w.info, warnings, frames: w.info.frames ?? 0, data, truncated: w.truncated };
  });
}

/** Anything but AudioDecodeError escaping a decoder is a bug in it; report it as a decode failure instead. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AudioDecodeError || e instanceof NeedMoreBytes) throw e;
    throw new AudioDecodeError('bad-header', `unexpected decoder fault: ${(e as Error)?.message ?? String(e)}`);
  }
}

function deinterleave(b: Uint8Array, w: WavLayout): Float32Array[] {
  const { channels, frames, format } = w.info as AudioInfo & { frames: number };
  const { blockAlign, containerBytes: cb, dataOffset } = w;
  const out: Float32Array[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let ch = 0; ch < channels; ch++) {
    const o = new Float32Array(frames);
    let p = dataOffset + ch * cb;
    const aligned = LITTLE_ENDIAN && (b.byteOffset + dataOffset) % cb === 0 && (cb === 2 || cb === 4);
    if (aligned && format === 'float') {
      // Typed-array views read whole words; several times faster than byte assembly on the hot path.
      const v = new Float32Array(b.buffer, b.byteOffset + dataOffset, (frames * blockAlign) / 4);
      for (let i = 0, q = ch, step = channels; i < frames; i++, q += step) o[i] = v[q];
    } else if (aligned && cb === 2) {
      const v = new Int16Array(b.buffer, b.byteOffset + dataOffset, (frames * blockAlign) / 2);
      for (let i = 0, q = ch, step = channels; i < frames; i++, q += step) o[i] = v[q] * (1 / 32768);
    } else if (format === 'float' && cb === 4) for (let i = 0; i < frames; i++, p += blockAlign) o[i] = dv.getFloat32(p, true);
    else if (format === 'float') for (let i = 0; i < frames; i++, p += blockAlign) o[i] = dv.getFloat64(p, true);
    else if (cb === 1) for (let i = 0; i < frames; i++, p += blockAlign) o[i] = (b[p] - 128) * (1 / 128);
    else if (cb === 2) for (let i = 0; i < frames; i++, p += blockAlign) o[i] = (((b[p] | (b[p + 1] << 8)) << 16) >> 16) * (1 / 32768);
    else if (cb === 3)
      for (let i = 0; i < frames; i++, p += blockAlign) o[i] = (((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8) >> 8) * (1 / 8388608);
    else for (let i = 0; i < frames; i++, p += blockAlign) o[i] = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) * (1 / 2147483648);
    out.push(o);
  }
  return out;
}

