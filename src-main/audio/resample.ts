import * as lsrModule from '@alexanderolsen/libsamplerate-js';

/** libsamplerate converters: sinc ones are band-limited; 'linear' is for previews only. */
export type ResampleQuality = 'best' | 'medium' | 'fastest' | 'linear';

const CONVERTER: Record<ResampleQuality, 0 | 1 | 2 | 4> = { best: 0, medium: 1, fastest: 2, linear: 4 };

interface Src {
  full(dataIn: Float32Array): Float32Array;
  destroy(): void;
  inputSampleRate: number;
}
interface Lsr {
  create(nch: number, from: number, to: number, opts: { converterType: number }): Promise<Src>;
}
// The package is a UMD bundle: Node's ESM loader exposes it as `default`, bundlers sometimes flatten it.
const lsr: Lsr = ((lsrModule as unknown as { default?: Lsr }).default ?? lsrModule) as Lsr;

// The wrapper's WASM buffers hold 1,008,000 floats; its own splitting of longer input is broken
// (it returned 19,200 of 1,058,400 samples for 8 k → 192 k), so we stream it in chunks that fit.
const WASM_BUFFER = 1_008_000;
const idle = new Map<string, Src[]>();

async function acquire(from: number, to: number, q: ResampleQuality): Promise<[string, Src]> {
  const key = `${from}:${to}:${q}`;
  const cached = idle.get(key)?.pop();
  if (cached) {
    cached.inputSampleRate = from; // the setter re-initialises libsamplerate: a fresh filter state
    return [key, cached];
  }
  return [key, await lsr.create(1, from, to, { converterType: CONVERTER[q] })];
}

function release(key: string, src: Src): void {
  const list = idle.get(key) ?? [];
  if (list.length < 2) list.push(src), idle.set(key, list);
  else src.destroy();
}

/** Band-limited resampling of one channel; output length is round(n · to / from), the tail flushed with silence. */
export async function resample(data: Float32Array, fromRate: number, toRate: number, quality: ResampleQuality = 'medium'): Promise<Float32Array> {
  for (const r of [fromRate, toRate])
    if (!Number.isInteger(r) || r < 1 || r > 1_536_000) throw new RangeError(`sample rate must be a positive integer, got ${r}`);
  const ratio = toRate / fromRate;
  if (ratio > 256 || ratio < 1 / 256) throw new RangeError(`libsamplerate supports ratios within 1/256…256, got ${ratio}`);
  if (fromRate === toRate) return Float32Array.from(data);
  const target = Math.round(data.length * ratio);
  const out = new Float32Array(target);
  if (target === 0) return out;
  const [key, src] = await acquire(fromRate, toRate, quality);
  try {
    const chunk = Math.max(1, Math.min(1 << 16, Math.floor((WASM_BUFFER - 16) / Math.max(1, ratio)) - 1));
    let o = 0;
    const take = (y: Float32Array) => {
      const n = Math.min(y.length, target - o);
      out.set(n === y.length ? y : y.subarray(0, n), o);
      o += n;
    };
    for (let s = 0; s < data.length && o < target; s += chunk) take(src.full(data.subarray(s, s + chunk)));
    // The filter holds back its delay line; push silence through until every output sample is out.
    const silence = new Float32Array(chunk);
    for (let guard = 0; o < target && guard < 64; guard++) take(src.full(silence));
    release(key, src);
  } catch (e) {
    src.destroy();
    throw e;
  }
  return out;
}

/** Resamples every channel of a planar signal. */
export async function resampleChannels(channels: Float32Array[], fromRate: number, toRate: number, quality?: ResampleQuality): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const ch of channels) out.push(await resample(ch, fromRate, toRate, quality));
  return out;
}
