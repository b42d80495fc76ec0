/** Waveform peaks from the backend: base64 of signed bytes, (min, max) pairs per bucket in ±127. */
export function decodePeaks(base64: string | null | undefined): Int8Array | null {
  if (!base64) return null;
  const raw = atob(base64);
  const out = new Int8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = (raw.charCodeAt(i) << 24) >> 24;
  return out;
}
