/**
 * Clamps decoded samples to our [-1, 1] contract in place (lossy decoders overshoot full scale and
 * float WAVs may legally exceed it); NaN becomes silence. Returns how many samples were changed.
 */
export function clampToUnit(data: Float32Array[]): number {
  let n = 0;
  for (const o of data)
    for (let i = 0; i < o.length; i++) {
      const v = o[i];
      if (v > 1) (o[i] = 1), n++;
      else if (v < -1) (o[i] = -1), n++;
      else if (v !== v) (o[i] = 0), n++;
    }
  return n;
}
