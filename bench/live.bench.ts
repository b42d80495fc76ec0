/**
 * The live generator's kernel figures (what its worker measures at load), on one core under Node's
 * V8 (Chromium runs the same wasm): a voice of the sketch and studio presets, plain and guided
 * (two engine rows), generated block by block through TakeVoice as the worker does, back to back with
 * the same take through runTakes (the generation job's path) for the ratio. `voices` is what the
 * worker would report as maxVoices on this core (× 0.8 headroom).
 */
import { createEngine } from '../src-shared/generation/engine';
import { runTakes } from '../src-shared/generation/takes';
import { TakeVoice, voiceRows, type VoiceRequest } from '../src-shared/generation/voice';
import { PRESETS } from '../src-shared/model/config';
import { randomWeights, withNullLabel } from '../src-shared/model/weights';
import { takeVoicing } from '../src-shared/pitch/excitation';
import { emit, median } from './emit';

const RATE = 16000;
const SAMPLES = 8000;

export default async function live(): Promise<void> {
  for (const preset of ['sketch', 'studio'] as const) {
    const config = { ...PRESETS[preset], numLabels: 2, excitationChannels: 3 };
    const model = withNullLabel(randomWeights(config, 3));
    for (const guided of [false, true]) {
      const request: VoiceRequest = { seed: 5, label: 1, temperature: 1, guidance: guided ? 2 : undefined, voicing: takeVoicing(undefined, 'C major', 5) };
      const engine = await createEngine(model, voiceRows(request));
      const voiceMs: number[] = [];
      const takeMs: number[] = [];
      const block = new Int32Array(128);
      for (let round = 0; round < 3; round++) {
        // Alternate the two paths so load changes hit both alike.
        let t0 = performance.now();
        const voice = new TakeVoice(engine, request, config.numLabels);
        for (let n = 0; n < SAMPLES; n += 128) voice.nextClasses(128, block);
        voiceMs.push(performance.now() - t0);
        t0 = performance.now();
        await runTakes(engine, [{ ...request, length: SAMPLES }], { nullLabel: config.numLabels });
        takeMs.push(performance.now() - t0);
      }
      const rt = SAMPLES / RATE / (median(voiceMs) / 1000);
      emit(`live.voice.${preset}.${guided ? 'guided' : 'plain'}`, rt, 'x realtime', {
        voices: Math.floor(rt * 0.8), stepMicros: Number(((median(voiceMs) * 1000) / SAMPLES).toFixed(2)),
        vsJobPath: Number((median(takeMs) / median(voiceMs)).toFixed(3)), rows: voiceRows(request),
      });
    }
  }
}
