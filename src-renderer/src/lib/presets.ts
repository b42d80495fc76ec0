/**
 * What the New project dialog offers. The preset values mirror src-shared/model/config.ts (the
 * renderer may not import main-process code); they only prefill the custom fields and the preview —
 * the backend builds the real config and its numbers are what the project view shows.
 */
import type { ModelConfig, Preset } from './types';

export type EditableConfig = Omit<ModelConfig, 'quantization' | 'numLabels'>;

export const PRESET_CONFIGS: Record<Exclude<Preset, 'custom'>, EditableConfig> = {
  sketch: { sampleRate: 16000, residualChannels: 32, dilationChannels: 64, skipChannels: 64, layersPerStack: 10, stacks: 2 },
  studio: { sampleRate: 16000, residualChannels: 64, dilationChannels: 128, skipChannels: 128, layersPerStack: 10, stacks: 3 },
};

export const PRESETS: { id: Preset; label: string; blurb: string }[] = [
  { id: 'sketch', label: 'Sketch', blurb: 'Small and quick: learns something audible in minutes on a CPU.' },
  { id: 'studio', label: 'Studio', blurb: 'The full-size WaveNet: better audio, wants a GPU and hours.' },
  { id: 'custom', label: 'Custom', blurb: 'Choose the sample rate, channel widths and dilation stacks.' },
];

export interface ConfigField {
  key: keyof EditableConfig;
  label: string;
  hint: string;
  min: number;
  max: number;
  step: number;
}

/** Ranges follow the contract's ModelConfig schema (the spin buttons stop there); the backend still
 * validates, and its errors appear next to the field. */
export const CONFIG_FIELDS: ConfigField[] = [
  { key: 'sampleRate', label: 'Sample rate (Hz)', hint: '4000–48000', min: 4000, max: 48000, step: 1 },
  { key: 'residualChannels', label: 'Residual channels', hint: '1–512', min: 1, max: 512, step: 1 },
  { key: 'dilationChannels', label: 'Dilation channels', hint: 'even, 2–1024', min: 2, max: 1024, step: 2 },
  { key: 'skipChannels', label: 'Skip channels', hint: '1–1024', min: 1, max: 1024, step: 1 },
  { key: 'layersPerStack', label: 'Layers per stack', hint: '1–14', min: 1, max: 14, step: 1 },
  { key: 'stacks', label: 'Stacks', hint: '1–8', min: 1, max: 8, step: 1 },
];

/** Receptive field in ms (kernel size 2, dilations 1…2^(L-1) per stack) — a live preview only. */
export function previewReceptiveFieldMs(c: EditableConfig): number {
  const perStack = 2 ** c.layersPerStack - 1;
  return ((1 + c.stacks * perStack) / c.sampleRate) * 1000;
}

/** Trainable parameters of an unconditional model — a live preview only. */
export function previewParameterCount(c: EditableConfig): number {
  const Q = 256;
  const { residualChannels: R, dilationChannels: D, skipChannels: S } = c;
  const G = D / 2;
  const perLayer = 2 * R * D + D + G * R + R + G * S + S;
  return Q * R + c.layersPerStack * c.stacks * perLayer + S * S + S + S * Q + Q;
}

export function configIsComplete(c: Partial<Record<keyof EditableConfig, number | null | undefined>>): c is EditableConfig {
  return CONFIG_FIELDS.every((f) => typeof c[f.key] === 'number' && Number.isFinite(c[f.key]) && (c[f.key] as number) > 0);
}
