import { mulberry32 } from '../../src-shared/random';
/** Broadcast WAV (EBU Tech 3285) `bext` fields we write. */
export interface BextInfo {
  description?: string;
  originator?: string;
  originatorReference?: string;
  /** 'yyyy-mm-dd' */
  originationDate?: string;
  /** 'hh-mm-ss' */
  originationTime?: string;
  /** Position of the first sample, in samples since midnight or the timeline origin. */
  timeReference: number;
}

export interface EncodeWavOptions {
  bits: 16 | 24 | '32f';
  /** Default 'tpdf' for 16-bit, 'none' otherwise; ignored for float. */
  dither?: 'tpdf' | 'none';
  /** Dither seed: the same seed gives byte-identical files. */
  seed?: number;
  bext?: BextInfo;
}

const PCM = 0x0001;
const FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const BEXT_SIZE = 602; // fixed part of a version-1 bext chunk, with an empty coding history


/** A WAV file's bytes produced block by block: the header first, then samples, then a pad byte if odd. */
export interface WavBlockEncoder {
  /** Everything before the first sample (RIFF, fmt, fact, bext, data chunk header). */
  header: Uint8Array;
  /** Encodes the next `n` frames of planar channels (dither continues across blocks). */
  encode(channels: Float32Array[], n?: number): Uint8Array;
  /** The trailing pad byte when the data chunk has an odd size, else empty. */
  trailer: Uint8Array;
}

/**
 * Starts a streaming encode of `frames` frames: the sizes are known up front, so the header is final
 * and the output is byte-identical to encodeWav() of the whole signal, whatever the block sizes.
 */
export function createWavEncoder(nch: number, sampleRate: number, frames: number, opts: EncodeWavOptions): WavBlockEncoder {
  if (nch < 1 || nch > 65535) throw new RangeError(`cannot write ${nch} channels`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) throw new RangeError(`bad sample rate ${sampleRate}`);
  if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`bad frame count ${frames}`);
  const float = opts.bits === '32f';
  const bytesPer = opts.bits === 16 ? 2 : opts.bits === 24 ? 3 : 4;
  const bits = bytesPer * 8;
  const blockAlign = nch * bytesPer;
  const dataBytes = frames * blockAlign;
  // Microsoft's WAVEFORMATEXTENSIBLE rule: use it when PCM has more than 16 bits per sample, when there
  // are more than 2 channels, when valid bits differ from the container, or when the speaker mapping
  // matters. Float with ≤ 2 channels stays plain WAVE_FORMAT_IEEE_FLOAT, which every reader knows.
  const extensible = nch > 2 || (!float && bits > 16);
  const fmtSize = extensible ? 40 : float ? 18 : 16;
  const bextSize = opts.bext ? BEXT_SIZE : 0;
  // Non-PCM formats must carry a fact chunk (sample frames) per the RIFF spec.
  const factSize = float ? 4 : 0;
  const headerSize = 12 + 8 + fmtSize + (factSize ? 8 + factSize : 0) + (bextSize ? 8 + bextSize : 0) + 8;
  const total = headerSize + dataBytes + (dataBytes & 1);
  if (total - 8 > 0xffffffff) throw new RangeError(`${dataBytes} bytes of audio exceed the 4 GiB RIFF limit`);

  const out = new Uint8Array(headerSize);
  const dv = new DataView(out.buffer);
  let p = 0;
  const str = (s: string, len = s.length) => {
    for (let i = 0; i < len; i++) out[p + i] = i < s.length ? (s.charCodeAt(i) < 128 ? s.charCodeAt(i) : 0x3f) : 0; // bext text is ASCII
    p += len;
  };
  const w16 = (v: number) => (dv.setUint16(p, v, true), (p += 2));
  const w32 = (v: number) => (dv.setUint32(p, v, true), (p += 4));

  str('RIFF');
  w32(total - 8);
  str('WAVE');
  str('fmt ');
  w32(fmtSize);
  w16(extensible ? EXTENSIBLE : float ? FLOAT : PCM);
  w16(nch);
  w32(sampleRate);
  w32(sampleRate * blockAlign);
  w16(blockAlign);
  w16(bits);
  if (fmtSize > 16) w16(fmtSize - 18);
  if (extensible) {
    w16(bits);
    // Mono is front-centre and stereo front-left/right; wider files are stems, so no speaker layout (mask 0).
    w32(nch === 1 ? 0x4 : nch === 2 ? 0x3 : 0);
    w16(float ? FLOAT : PCM);
    out.set(GUID_TAIL, p);
    p += GUID_TAIL.length;
  }
  if (factSize) {
    str('fact');
    w32(4);
    w32(frames);
  }
  if (opts.bext) {
    const b = opts.bext;
    str('bext');
    w32(BEXT_SIZE);
    const start = p;
    str(b.description ?? '', 256);
    str(b.originator ?? '', 32);
    str(b.originatorReference ?? '', 32);
    str(b.originationDate ?? '', 10);
    str(b.originationTime ?? '', 8);
    const t = Math.max(0, Math.floor(b.timeReference));
    w32(t % 2 ** 32);
    w32(Math.floor(t / 2 ** 32));
    w16(1); // version 1: no loudness fields
    p = start + BEXT_SIZE; // UMID and reserved bytes stay zero
  }
  str('data');
  w32(dataBytes);

  const writeSamples = sampleWriter(opts, bytesPer);
  let written = 0;
  return {
    header: out,
    encode(channels, n = channels[0]?.length ?? 0) {
      if (channels.length !== nch) throw new RangeError(`expected ${nch} channels, got ${channels.length}`);
      if (written + n > frames) throw new RangeError(`${written + n} frames written, the header promised ${frames}`);
      const block = new Uint8Array(n * blockAlign);
      writeSamples(block, 0, channels, n);
      written += n;
      return block;
    },
    trailer: new Uint8Array(dataBytes & 1),
  };
}

/**
 * Encodes planar float channels to a WAV file (16-bit with optional TPDF dither, 24-bit, or 32-bit float),
 * clipping to [-1, 1], optionally with a BWF `bext` chunk.
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, opts: EncodeWavOptions): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  for (const [i, c] of channels.entries()) if (c.length !== frames) throw new RangeError(`channel ${i} has ${c.length} frames, channel 0 has ${frames}`);
  const encoder = createWavEncoder(channels.length, sampleRate, frames, opts);
  const samples = encoder.encode(channels, frames);
  const out = new Uint8Array(encoder.header.length + samples.length + encoder.trailer.length);
  out.set(encoder.header, 0);
  out.set(samples, encoder.header.length);
  return out;
}

/** Returns a function that writes `n` frames interleaved at `at`; the dither stream continues across calls. */
function sampleWriter(opts: EncodeWavOptions, bytesPer: number): (out: Uint8Array, at: number, channels: Float32Array[], n: number) => void {
  if (opts.bits === '32f') {
    return (out, at, channels, n) => {
      const nch = channels.length;
      const dv = new DataView(out.buffer, out.byteOffset);
      for (let i = 0, p = at; i < n; i++)
        for (let c = 0; c < nch; c++, p += 4) {
          const v = channels[c][i];
          dv.setFloat32(p, v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0, true);
        }
    };
  }
  const scale = bytesPer === 2 ? 32768 : 8388608;
  const dither = (opts.dither ?? (opts.bits === 16 ? 'tpdf' : 'none')) === 'tpdf';
  const rnd = mulberry32(opts.seed ?? 0x5eed);
  return (out, at, channels, n) => {
    const nch = channels.length;
    for (let i = 0, p = at; i < n; i++)
      for (let c = 0; c < nch; c++, p += bytesPer) {
        let v = channels[c][i];
        v = v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0;
        // TPDF: the difference of two uniform variables spans ±1 LSB and decorrelates the error from the signal.
        let q = Math.round(v * scale + (dither ? rnd() - rnd() : 0));
        if (q >= scale) q = scale - 1;
        else if (q < -scale) q = -scale;
        out[p] = q & 0xff;
        out[p + 1] = (q >> 8) & 0xff;
        if (bytesPer === 3) out[p + 2] = (q >> 16) & 0xff;
      }
  };
}
