/**
 * Conditioning tokens: how a model learns many labels from few clips. Each label is conditioned on
 * its own token plus tokens for what its name says musically — the pitch classes of a chord or
 * note, and a note's octave — so "C major", "A minor" and "C4" share what they have in common (a C,
 * an E…) instead of each label learning its sound alone from its one or two clips. The global
 * condition of a label is the sum of its tokens' embeddings; a checkpoint stores that sum per label
 * (the usual one-row-per-label layout), so generation never sees tokens.
 */
import type { WaveNetConfig } from '../../src-shared/model/config';
import { flattenWeights, unflattenWeights } from '../../src-shared/model/params';
import { parseMusicalLabel } from '../quality';
import { mulberry32 } from '../../src-shared/random';

export interface LabelTokens {
  /** Token names: one per label first (in label order), then shared musical tokens. */
  tokens: string[];
  /** Token indices of each label. */
  rows: number[][];
}

/** The tokens of a model's labels; null when no label shares a token with another (plain one-hot is the same model). */
export function labelTokens(labels: string[]): LabelTokens | null {
  const tokens = [...labels.map((l) => `label:${l}`)];
  const index = new Map<string, number>();
  const tokenOf = (name: string) => {
    if (!index.has(name)) {
      index.set(name, tokens.length);
      tokens.push(name);
    }
    return index.get(name)!;
  };
  const rows = labels.map((label, c) => {
    const m = parseMusicalLabel(label);
    const own = [c];
    if (!m) return own;
    if (m.kind === 'chord') return [...own, ...m.pitchClasses.map((pc) => tokenOf(`pc:${pc}`))];
    if (m.kind === 'note') return [...own, tokenOf(`pc:${m.pitchClass}`), ...(m.octave !== null ? [tokenOf(`octave:${m.octave}`)] : [])];
    return own;
  });
  const shared = new Map<number, number>();
  for (const r of rows) for (const t of r.slice(1)) shared.set(t, (shared.get(t) ?? 0) + 1);
  return [...shared.values()].some((n) => n >= 2) ? { tokens, rows } : null;
}

/** The model config training uses: one condition row per token. */
export function tokenConfig(config: WaveNetConfig, lt: LabelTokens): WaveNetConfig {
  return { ...config, numLabels: lt.tokens.length };
}

/** Multi-hot condition rows [B, tokens] for a batch's label indices. */
export function conditionRows(lt: LabelTokens, labels: ArrayLike<number>): Float32Array {
  const P = lt.tokens.length;
  const out = new Float32Array(labels.length * P);
  for (let b = 0; b < labels.length; b++) for (const t of lt.rows[labels[b]]) out[b * P + t] = 1;
  return out;
}

/** One-hot condition rows [B, P] of label indices (a model without tokens, when rows are needed). */
export function oneHotRows(labels: ArrayLike<number>, P: number): Float32Array {
  const out = new Float32Array(labels.length * P);
  for (let b = 0; b < labels.length; b++) out[b * P + labels[b]] = 1;
  return out;
}

/**
 * Label dropout: zeroes each condition row (P wide) with probability `share`, in place, so the model
 * also learns "no label" — what classifier-free guidance compares against. Seeded by (seed, step):
 * a resumed run drops the same rows.
 */
export function dropLabels(conditions: Float32Array, P: number, share: number, seed: number, step: number): Float32Array {
  const rand = mulberry32((Math.imul(seed, 0x9e3779b1) + step) >>> 0);
  for (let r = 0; r * P < conditions.length; r++) if (rand() < share) conditions.fill(0, r * P, (r + 1) * P);
  return conditions;
}

/** Token-layout flat parameters → the per-label layout checkpoints and generation use (each label's condition = sum of its tokens'). */
export function perLabelParams(config: WaveNetConfig, lt: LabelTokens, tokenFlat: Float32Array): Float32Array {
  const w = unflattenWeights(tokenConfig(config, lt), tokenFlat);
  const C = lt.rows.length;
  const layers = w.layers.map((layer) => {
    const D = layer.convBias.length;
    const cond = new Float32Array(C * D);
    lt.rows.forEach((row, c) => {
      for (const t of row) for (let j = 0; j < D; j++) cond[c * D + j] += layer.cond[t * D + j];
    });
    return { ...layer, cond };
  });
  return flattenWeights({ ...w, config: { ...config, numLabels: C }, layers });
}
