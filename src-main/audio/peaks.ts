/** Waveform overview: `buckets` (min, max) pairs interleaved, each scaled to −127…127. */
export type Peaks = Int8Array;

/**
 * Min/max peaks per bucket for drawing a waveform; given several channels it takes min/max across
 * them (not a mixdown, which would hide out-of-phase content).
 */
export function computePeaks(input: Float32Array | Float32Array[], buckets = 512): Peaks {
  const channels = Array.isArray(input) ? input : [input];
  const n = channels.length ? channels[0].length : 0;
  const out = new Int8Array(buckets * 2);
  if (n === 0 || buckets <= 0) return out;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    // Fewer samples than buckets: each bucket still shows the sample under it.
    const end = Math.max(start + 1, Math.floor(((b + 1) * n) / buckets));
    let lo = Infinity;
    let hi = -Infinity;
    for (const ch of channels)
      for (let i = start; i < end; i++) {
        const v = ch[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    // Round outward so a quiet transient never rounds away to a flat line.
    out[2 * b] = Math.max(-127, Math.min(127, Math.floor(lo * 127)));
    out[2 * b + 1] = Math.max(-127, Math.min(127, Math.ceil(hi * 127)));
  }
  return out;
}

/** Average of all channels into one new array (a copy even for mono, so callers never alias decoder output). */
export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  const n = channels[0].length;
  const out = Float32Array.from(channels[0]);
  if (channels.length === 1) return out;
  for (let c = 1; c < channels.length; c++) {
    const ch = channels[c];
    if (ch.length !== n) throw new RangeError(`channel ${c} has ${ch.length} frames, channel 0 has ${n}`);
    for (let i = 0; i < n; i++) out[i] += ch[i];
  }
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}
