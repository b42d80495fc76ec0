/**
 * Audio samples as text for events (JSON over IPC and WebSocket): float32 little-endian, base64.
 * Exact: the decoded floats are bit for bit the encoded ones. Pure; runs in Node ≥ 16 and browsers (atob/btoa).
 */

/** Encodes samples as base64 of their float32 little-endian bytes. */
export function encodeSamples(samples: Float32Array): string {
  const bytes = new Uint8Array(samples.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setFloat32(i * 4, samples[i], true);
  let text = '';
  // String.fromCharCode takes arguments: bounded slices keep it under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Decodes `encodeSamples` output; throws on text that is not whole float32 samples. */
export function decodeSamples(base64: string): Float32Array {
  const text = atob(base64);
  if (text.length % 4 !== 0) throw new RangeError(`samples: ${text.length} bytes is not a whole number of float32 samples`);
  const view = new DataView(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) view.setUint8(i, text.charCodeAt(i));
  const out = new Float32Array(text.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
