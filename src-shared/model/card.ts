/**
 * The checkpoint's JSON model card and what a take reads from it (guidance, the notes it plays).
 * Pure: the main process writes and reads cards (src-main/model/checkpoint.ts), the renderer's
 * live generator reads them to generate exactly as a take job does.
 */
import type { WaveNetConfig } from './config';
import { takeVoicing, type Voicing } from '../pitch/excitation';

/** The card's `format` field. */
export const CARD_FORMAT = 'wavehouse-wavenet-checkpoint';

/** The JSON model card. */
export interface ModelCard {
  format: typeof CARD_FORMAT;
  version: 1;
  config: WaveNetConfig;
  labels: string[];
  sampleRate: number;
  step: number;
  metrics: Record<string, number>;
  /** Binary file name, relative to the card. */
  weightsFile: string;
  /** sha256 (hex) of the weights section bytes. */
  weightsSha256: string;
  parameterCount: number;
  hasOptimizerState: boolean;
  /** Trainer state needed to resume exactly (sampler position, schedule…), opaque here. */
  trainingState?: Record<string, unknown>;
  /** Default classifier-free guidance for takes (present when the model was trained with label dropout, so it knows "no label"). */
  guidance?: number;
  /** Models with pitch excitation (config.excitationChannels > 0): the voicings (note frequencies, Hz) each label's clips showed; takes play one of them. */
  excitation?: { voicings: Record<string, number[][]> };
  createdAt: string;
}

/** The guidance a take gets: the one asked for, else the model's own; none for a take without a label. */
export function takeGuidance(card: Pick<ModelCard, 'guidance'>, labelled: boolean, asked?: number): number {
  return labelled ? (asked ?? card.guidance ?? 1) : 1;
}

/** The notes a take of `label` plays with this model (none for models without pitch excitation or label-less takes). */
export function cardTakeVoicing(card: Pick<ModelCard, 'config' | 'excitation'>, label: string | null, seed: number): Voicing | null {
  if (label === null || (card.config.excitationChannels ?? 0) === 0) return null;
  return takeVoicing(card.excitation?.voicings[label], label, seed);
}
