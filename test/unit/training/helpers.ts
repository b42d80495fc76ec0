import type { Clip, ClipRef } from '../../../src-main/training/sampler';

/** A periodic test signal: sine or sawtooth with the given period (samples) and phase. */
export function wave(kind: 'sine' | 'saw', frames: number, period: number, phase = 0, amp = 0.8): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const p = ((i + phase) % period) / period;
    out[i] = kind === 'sine' ? amp * Math.sin(2 * Math.PI * p) : amp * (2 * p - 1);
  }
  return out;
}

/** An in-memory clip library with an async loader that counts loads. */
export function library(clips: { id: string; label: number; audio: Float32Array }[]) {
  const byId = new Map(clips.map((c) => [c.id, c]));
  const refs: ClipRef[] = clips.map((c) => ({ id: c.id, label: c.label, frames: c.audio.length }));
  let loads = 0;
  const loader = async (id: string): Promise<Clip> => {
    loads++;
    const c = byId.get(id);
    if (!c) throw new Error(`no clip ${id}`);
    return { label: c.label, audio: c.audio };
  };
  return { refs, loader, loads: () => loads };
}
