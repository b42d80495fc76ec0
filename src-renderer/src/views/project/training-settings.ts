/**
 * The Start form's advanced settings. The defaults mirror `defaultSettings` in
 * src-main/training/service.ts (the renderer may not import main-process code) and are only shown
 * as placeholders: a field left empty is not sent, so the backend's own default always applies.
 */
import type { CommandInput, CommandOutput } from '../../../../src-preload/contract';
import type { Preset } from '../../lib/types';

export type TrainingSettings = NonNullable<CommandOutput<'training.status'>['run']>['settings'];
export type SettingsOverrides = NonNullable<CommandInput<'training.start'>['settings']>;
export type AdvancedKey = 'steps' | 'batchSize' | 'windowT' | 'learningRate' | 'checkpointEvery' | 'validateEvery';

export interface AdvancedField {
  key: AdvancedKey;
  label: string;
  hint: string;
  min: number;
  step: number | 'any';
  integer: boolean;
}

export const ADVANCED_FIELDS: AdvancedField[] = [
  { key: 'steps', label: 'Steps', hint: 'Training steps in this run', min: 1, step: 1, integer: true },
  { key: 'batchSize', label: 'Batch size', hint: 'Windows per step', min: 1, step: 1, integer: true },
  { key: 'windowT', label: 'Window', hint: 'Samples predicted per training window', min: 16, step: 1, integer: true },
  { key: 'learningRate', label: 'Learning rate', hint: 'Peak Adam rate (cosine decay)', min: 0, step: 'any', integer: false },
  { key: 'checkpointEvery', label: 'Checkpoint every', hint: 'Steps between saved weights', min: 1, step: 1, integer: true },
  { key: 'validateEvery', label: 'Validate every', hint: 'Steps between validation NLL', min: 1, step: 1, integer: true },
];

export function presetDefaults(preset: Preset): Record<AdvancedKey, number> {
  const studio = preset === 'studio';
  return {
    steps: studio ? 20_000 : 1_500,
    batchSize: 4,
    windowT: studio ? 4096 : 1024,
    learningRate: studio ? 1e-3 : 2e-3,
    checkpointEvery: studio ? 500 : 100,
    validateEvery: studio ? 250 : 50,
  };
}

/** Only the fields the user filled in; empty (null / NaN) ones fall back to the backend's default. */
export function overridesFrom(values: Partial<Record<AdvancedKey, number | null>>): SettingsOverrides {
  const out: SettingsOverrides = {};
  for (const field of ADVANCED_FIELDS) {
    const value = values[field.key];
    if (value !== null && value !== undefined && Number.isFinite(value)) out[field.key] = value;
  }
  return out;
}
