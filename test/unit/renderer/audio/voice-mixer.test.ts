/**
 * The live generator's mixer as the worklet runs it: voices start after their prebuffer, mix with
 * their gains, fade out on release, ramp down on stop, count dry spells as underruns, tolerate blocks
 * that arrive before their start and after their stop, and resample when the context's rate differs.
 */
import { describe, expect, it } from 'vitest';
import { VoiceMixer } from '../../../../src-renderer/src/audio/live-generator/voice-mixer';

const block = (n: number, v: number) => new Float32Array(n).fill(v);
const Q = 128;

describe('VoiceMixer', () => {
  it('waits for the prebuffer, then mixes voices with their gains and reports when each sounds', () => {
    const m = new VoiceMixer(16000, 16000, 256);
    m.start(1, 0.5);
    m.push(1, block(128, 0.4));
    const out = new Float32Array(Q);
    let ev = m.render(out);
    expect(out.every((x) => x === 0)).toBe(true);
    expect(ev.sounding).toEqual([]);
    m.push(1, block(256, 0.4));
    m.start(2, 1);
    m.push(2, block(512, -0.1));
    ev = m.render(out);
    expect(ev.sounding.map((s) => s.id).sort()).toEqual([1, 2]);
    expect(out[0]).toBeCloseTo(0.5 * 0.4 - 0.1, 6);
    expect(m.active).toBe(2);
    expect(m.underruns).toBe(0);
  });

  it('counts a dry spell of a playing voice as one underrun, and a finite voice running out is its end', () => {
    const m = new VoiceMixer(16000, 16000, 128);
    const out = new Float32Array(Q);
    m.start(1, 1);
    m.push(1, block(200, 0.3));
    m.render(out);
    m.render(out); // 72 samples, then dry
    expect(m.underruns).toBe(1);
    m.render(out); // still waiting for the (doubled) prebuffer: the same spell
    expect(m.underruns).toBe(1);
    m.start(2, 1);
    m.push(2, block(200, 0.3));
    m.end(2);
    m.render(out);
    const ev = m.render(out);
    expect(ev.ended).toContain(2);
    expect(m.underruns).toBe(1);
  });

  it('fades out linearly on release and frees the voice; stop ramps down in a few ms', () => {
    const m = new VoiceMixer(16000, 16000, 128);
    const out = new Float32Array(Q);
    m.start(1, 1);
    m.push(1, block(4096, 1));
    m.render(out);
    expect(out[Q - 1]).toBe(1);
    m.release(1, 256);
    const ended: number[] = [];
    ended.push(...m.render(out).ended);
    expect(out[0]).toBe(1);
    expect(out[Q - 1]).toBeCloseTo(129 / 256, 6);
    ended.push(...m.render(out).ended);
    expect(out[Q - 1]).toBeCloseTo(1 / 256, 6);
    ended.push(...m.render(out).ended);
    expect(out.every((x) => x === 0)).toBe(true);
    expect(ended).toEqual([1]);
    expect(m.active).toBe(0);

    m.start(2, 0.8);
    m.push(2, block(4096, 1));
    m.render(out);
    m.stop(2);
    const stopped = m.render(out);
    expect(out[0]).toBeCloseTo(0.8, 6);
    expect(out[Q - 1]).toBe(0);
    expect(stopped.ended).toEqual([2]);
  });

  it('takes blocks that arrive before the start, and drops those of a voice stopped before it played', () => {
    const m = new VoiceMixer(16000, 16000, 128);
    const out = new Float32Array(Q);
    m.push(5, block(256, 0.25));
    m.render(out);
    expect(out[0]).toBe(0);
    m.start(5, 1);
    m.render(out);
    expect(out[0]).toBe(0.25);
    m.stop(9);
    m.start(9, 1);
    m.push(9, block(512, 0.5));
    m.render(out);
    expect(out[0]).toBe(0.25);
    const ended = m.render(new Float32Array(Q)).ended;
    expect(ended).not.toContain(9);
  });

  it('resamples the model-rate mix to the context rate (16 kHz into 48 kHz: a ramp stays a ramp)', () => {
    const m = new VoiceMixer(16000, 48000, 64);
    const ramp = new Float32Array(1024).map((_, i) => i / 1024);
    m.start(1, 1);
    m.push(1, ramp);
    const out = new Float32Array(Q);
    const all: number[] = [];
    for (let r = 0; r < 6; r++) {
      m.render(out);
      all.push(...out);
    }
    const start = all.findIndex((x) => x > 0);
    // Every output step advances a third of a model sample: slope 1/1024/3 per frame.
    for (let f = start + 3; f < start + 300; f++) expect(all[f + 1] - all[f]).toBeCloseTo(1 / 1024 / 3, 6);
    expect(m.underruns).toBe(0);
  });
});
