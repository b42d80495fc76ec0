/**
 * Previews while a model trains: a short take per label (or a chosen few) from the latest weights,
 * written beside the checkpoint and checked against its label, so a musician hears progress and can
 * tell when it starts to sound like the library.
 */
import { join } from 'node:path';
import { encodeWav } from '../audio/wav-encode';
import { writeFileAtomic } from '../files/atomic';
import { generateTakes } from '../generation';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { unflattenWeights } from '../../src-shared/model/params';
import { checkLabel, spectralFlatness } from '../quality';
import { takeVoicing } from '../../src-shared/pitch/excitation';

/** One preview take, stored on its checkpoint. */
export interface Preview {
  label: string | null;
  /** File name inside the checkpoint's preview folder. */
  file: string;
  /** Whether its pitch content matches the label (null: the label names no note or chord). */
  matches: boolean | null;
  flatness: number;
}

/** Seconds of audio per preview: long enough to hear an attack and its pitch. */
export const PREVIEW_SECONDS = 1;
/** Labels previewed per round at most; with more labels, rounds rotate through them. */
export const MAX_PREVIEW_LABELS = 12;

/** The labels of preview round `round`: the chosen ones, or all (rotating windows of 12 when there are more). */
export function previewLabels(labels: string[], round: number, chosen?: string[] | null): (string | null)[] {
  if (labels.length === 0) return [null];
  const pool = chosen?.length ? labels.filter((l) => chosen.includes(l)) : labels;
  if (pool.length <= MAX_PREVIEW_LABELS) return pool;
  const start = (round * MAX_PREVIEW_LABELS) % pool.length;
  return Array.from({ length: MAX_PREVIEW_LABELS }, (_, i) => pool[(start + i) % pool.length]);
}

export interface PreviewRequest {
  config: WaveNetConfig;
  params: Float32Array;
  /** The model's labels (index = condition). */
  labels: string[];
  which: (string | null)[];
  dir: string;
  temperature: number;
  topP?: number;
  /** Classifier-free guidance, as takes of this checkpoint get by default. */
  guidance?: number;
  /** Voicings per label for models with pitch excitation (ModelCard.excitation). */
  voicings?: Record<string, number[][]>;
  signal?: AbortSignal;
}

/** Renders one preview per label in `which` into `dir` (same seed every round, so rounds compare). */
export async function renderPreviews(r: PreviewRequest): Promise<Preview[]> {
  const weights = unflattenWeights(r.config, r.params);
  const rate = r.config.sampleRate;
  const results = await generateTakes(
    weights,
    r.which.map((label) => ({
      seed: 1, length: Math.round(PREVIEW_SECONDS * rate), label: label === null ? 0 : r.labels.indexOf(label), temperature: r.temperature, topP: r.topP, guidance: label === null ? 1 : r.guidance,
      voicing: label !== null && (r.config.excitationChannels ?? 0) > 0 ? takeVoicing(r.voicings?.[label], label, 1) : null,
    })),
    { signal: r.signal },
  );
  const out: Preview[] = [];
  for (const [i, res] of results.entries()) {
    const label = r.which[i];
    const file = `${String(i).padStart(2, '0')}.wav`;
    await writeFileAtomic(join(r.dir, file), encodeWav([res.audio], rate, { bits: 16 }));
    out.push({ label, file, matches: label === null ? null : checkLabel(res.audio, rate, label).matches, flatness: spectralFlatness(res.audio, rate) });
  }
  return out;
}
