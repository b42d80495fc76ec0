/**
 * A voice generated block by block (the renderer's live generator) is the take `generateInThread`
 * (what a generation job runs) makes for the same request: same classes, bit for bit, whatever the
 * block sizes, with guidance and pitch excitation. And the streamed excitation equals the one-shot one.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src-shared/generation/engine';
import { generateInThread } from '../../../src-shared/generation/batches';
import type { TakeRequest } from '../../../src-shared/generation/takes';
import { TakeVoice, voiceRows, type VoiceRequest } from '../../../src-shared/generation/voice';
import { randomWeights, withNullLabel } from '../../../src-shared/model/weights';
import { ExcitationStream, takeVoicing, writeExcitation } from '../../../src-shared/pitch/excitation';
import { SHAPES } from './helpers';

const config = { ...SHAPES.sketch, layersPerStack: 6, excitationChannels: 3 };
const weights = randomWeights(config, 21);
const LENGTH = 1500;

/** The voice's samples in blocks of the given sizes (cycled) up to LENGTH. */
async function voiceClasses(request: VoiceRequest, blocks: number[]): Promise<Int32Array> {
  // As the live generator does: one model with the "no label" row for every voice of a conditional model.
  const model = withNullLabel(weights);
  const engine = await createEngine(model, voiceRows(request));
  const voice = new TakeVoice(engine, request, config.numLabels);
  const out = new Int32Array(LENGTH);
  let at = 0;
  for (let i = 0; at < LENGTH; i++) {
    const n = Math.min(blocks[i % blocks.length], LENGTH - at);
    const part = new Int32Array(n);
    voice.nextClasses(n, part);
    out.set(part, at);
    at += n;
  }
  expect(voice.made).toBe(LENGTH);
  return out;
}

describe('TakeVoice', () => {
  const cases: [string, VoiceRequest][] = [
    ['guided, with pitch excitation', { seed: 11, label: 1, guidance: 2, temperature: 1, voicing: takeVoicing(undefined, 'C major', 11) }],
    ['plain conditional, top-k, excitation', { seed: 12, label: 2, temperature: 0.9, topK: 40, voicing: takeVoicing([[261.6, 329.6, 392]], 'C major', 12) }],
    ['temperature 0, no voicing', { seed: 13, label: 0, temperature: 0 }],
    ['guided with a prime', { seed: 14, label: 1, guidance: 1.5, prime: [128, 140, 150, 120], voicing: takeVoicing(undefined, 'A4', 14) }],
  ];
  for (const [name, request] of cases) {
    it(`equals the job's take bit for bit: ${name}`, async () => {
      const take: TakeRequest = { ...request, length: LENGTH };
      const [want] = await generateInThread(weights, [take]);
      const a = await voiceClasses(request, [128]);
      const b = await voiceClasses(request, [1, 7, 300, 64]);
      expect(Buffer.from(a.buffer).equals(Buffer.from(want.classes.buffer))).toBe(true);
      expect(Buffer.from(b.buffer).equals(Buffer.from(want.classes.buffer))).toBe(true);
    });
  }

  it('a different seed gives a different voice (the comparison can fail)', async () => {
    const a = await voiceClasses({ seed: 1, label: 1, guidance: 2, voicing: takeVoicing(undefined, 'C major', 1) }, [128]);
    const b = await voiceClasses({ seed: 2, label: 1, guidance: 2, voicing: takeVoicing(undefined, 'C major', 1) }, [128]);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(false);
  });

  it('refuses an engine of the wrong size and guidance without a "no label" row', async () => {
    const engine = await createEngine(withNullLabel(weights), 1);
    expect(() => new TakeVoice(engine, { seed: 1, label: 0, guidance: 2 }, config.numLabels)).toThrow(/needs an engine of 2 rows/);
    const two = await createEngine(weights, 2);
    expect(() => new TakeVoice(two, { seed: 1, label: 0, guidance: 2 })).toThrow(/no label/);
  });
});

describe('ExcitationStream', () => {
  it('block by block equals one writeExcitation, bit for bit, from before the onset too', () => {
    const v = takeVoicing([[220, 277.2, 329.6]], 'A major', 5)!;
    for (const n0 of [0, -37]) {
      const whole = new Float32Array(5000 * 3);
      writeExcitation(v, 16000, n0, 5000, whole, 0, 3);
      const parts = new Float32Array(5000 * 3);
      const s = new ExcitationStream(v, 16000, n0, 3);
      for (let at = 0, i = 0; at < 5000; i++) {
        const n = Math.min([1, 13, 128, 999][i % 4], 5000 - at);
        s.write(parts, at * 3, n);
        at += n;
      }
      expect(Buffer.from(parts.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
      expect(whole.some((x) => x !== 0)).toBe(true);
    }
  });
});
