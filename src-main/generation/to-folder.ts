import { join } from 'node:path';
import { encodeWav } from '../audio';
import { writeFileAtomic } from '../files/atomic';
import { cardTakeVoicing, loadCheckpoint, takeGuidance } from '../model/checkpoint';
import { generateTakes } from './pool';
import type { EngineKind } from '../../src-shared/generation/engine';
import type { TakeRequest } from '../../src-shared/generation/takes';

export interface FolderGeneration {
  seconds: number;
  count: number;
  temperature: number;
  label: string | null;
  seed: number;
  topK?: number;
  topP?: number;
  /** Classifier-free guidance (default: the checkpoint's, ModelCard.guidance; off for label-less takes). */
  guidance?: number;
  /** Default 'wasm' (int16 weights); 'wasm-f32' for the f32 kernel, e.g. to compare speed or takes (a take's bytes depend on it). */
  engine?: EngineKind;
}

/** Generates takes from a checkpoint file straight into a folder (the article's `generate --mp … --fs …`). */
export async function generateToFolder(checkpointPath: string, outDir: string, o: FolderGeneration, io: { err: (line: string) => void }): Promise<string[]> {
  const { weights, card } = await loadCheckpoint(checkpointPath);
  const label = o.label === null ? 0 : card.labels.indexOf(o.label);
  if (label < 0) throw new Error(`the model knows no label "${o.label}" (it knows ${card.labels.join(', ') || 'none'})`);
  const length = Math.round(o.seconds * card.sampleRate);
  const requests: TakeRequest[] = Array.from({ length: o.count }, (_, i) => ({ seed: o.seed + i, length, label, temperature: o.temperature, topK: o.topK, topP: o.topP, guidance: takeGuidance(card, o.label !== null, o.guidance), voicing: cardTakeVoicing(card, o.label, o.seed + i) }));
  let lastReport = 0;
  const done = new Array<number>(o.count).fill(0);
  const results = await generateTakes(weights, requests, {
    // One take runs on one core either way: on this thread it starts ~0.2 s sooner (no worker to boot).
    workers: o.count === 1 ? 0 : undefined,
    engine: o.engine,
    onProgress: (take, samples, total) => {
      done[take] = samples / total;
      if (Date.now() - lastReport > 250) {
        lastReport = Date.now();
        io.err(`${Math.round((done.reduce((a, b) => a + b, 0) / o.count) * 100)}% generating`);
      }
    },
  });
  const paths: string[] = [];
  for (const [i, r] of results.entries()) {
    const path = join(outDir, `take-${requests[i].seed}${o.label ? `-${o.label}` : ''}.wav`);
    await writeFileAtomic(path, encodeWav([r.audio], card.sampleRate, { bits: '32f' }));
    paths.push(path);
  }
  return paths;
}
