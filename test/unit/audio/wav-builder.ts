// Writes WAV bytes by hand, independently of src-main/audio, so decoder tests can assert exact samples.

export interface Chunk {
  id: string;
  body: Uint8Array;
  /** Size to write in the header instead of body.length (to make headers lie). */
  declaredSize?: number;
  /** Omit the pad byte after an odd-sized body (a real writer bug). */
  noPad?: boolean;
}

const enc = new TextEncoder();

export function chunk(id: string, body: Uint8Array | string, extra: Partial<Chunk> = {}): Chunk {
  return { id, body: typeof body === 'string' ? enc.encode(body) : body, ...extra };
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

function le(n: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number((BigInt(n) >> BigInt(8 * i)) & 0xffn);
  return out;
}
export const u16 = (n: number): Uint8Array => le(n, 2);
export const u32 = (n: number): Uint8Array => le(n, 4);
export const u64 = (n: number): Uint8Array => le(n, 8);

/** Serialises chunks into a RIFF (or RF64 with a ds64 whose data size is `rf64DataSize`) WAVE file. */
export function riff(chunks: Chunk[], opts: { head?: string; rf64?: boolean; riffSize?: number } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const c of chunks) {
    parts.push(enc.encode(c.id), u32(c.declaredSize ?? c.body.length), c.body);
    if (c.body.length & 1 && !c.noPad) parts.push(new Uint8Array(1));
  }
  const body = concat(...parts);
  const head = opts.head ?? (opts.rf64 ? 'RF64' : 'RIFF');
  return concat(enc.encode(head), u32(opts.riffSize ?? (opts.rf64 ? 0xffffffff : body.length + 4)), enc.encode('WAVE'), body);
}

export function ds64(riffSize: number, dataSize: number, sampleCount: number): Chunk {
  return chunk('ds64', concat(u64(riffSize), u64(dataSize), u64(sampleCount), u32(0)));
}

export interface FmtSpec {
  tag?: number;
  channels: number;
  rate: number;
  bits: number;
  blockAlign?: number;
  /** Write WAVE_FORMAT_EXTENSIBLE with this sub-format tag (1 PCM, 3 float). */
  extensible?: { subTag: number; validBits?: number; mask?: number; guidTail?: number[] };
}

const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

export function fmt(s: FmtSpec): Chunk {
  const blockAlign = s.blockAlign ?? s.channels * Math.ceil(s.bits / 8);
  const basic = concat(
    u16(s.extensible ? 0xfffe : (s.tag ?? 1)),
    u16(s.channels),
    u32(s.rate),
    u32(s.rate * blockAlign),
    u16(blockAlign),
    u16(s.bits),
  );
  if (!s.extensible) return chunk('fmt ', basic);
  const e = s.extensible;
  const guid = concat(u16(e.subTag), Uint8Array.from(e.guidTail ?? GUID_TAIL));
  return chunk('fmt ', concat(basic, u16(22), u16(e.validBits ?? s.bits), u32(e.mask ?? 0), guid));
}

/** Interleaves integer frames (frames[i][ch]) as little-endian signed ints of `bytes` each (8-bit: unsigned raw). */
export function pcmData(frames: number[][], bytes: number): Uint8Array {
  const out = new Uint8Array(frames.length * frames[0].length * bytes);
  let o = 0;
  for (const f of frames)
    for (const v of f) {
      for (let i = 0; i < bytes; i++) out[o + i] = Number((BigInt(v) >> BigInt(8 * i)) & 0xffn);
      o += bytes;
    }
  return out;
}

export function floatData(frames: number[][], bytes: 4 | 8): Uint8Array {
  const out = new Uint8Array(frames.length * frames[0].length * bytes);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const f of frames)
    for (const v of f) {
      if (bytes === 4) dv.setFloat32(o, v, true);
      else dv.setFloat64(o, v, true);
      o += bytes;
    }
  return out;
}

/** A simple valid WAV: `frames` of `channels` 16-bit samples. */
export function wav16(frames: number[][], rate = 44100, extra: Chunk[] = []): Uint8Array {
  return riff([fmt({ channels: frames[0].length, rate, bits: 16 }), ...extra, chunk('data', pcmData(frames, 2))]);
}
