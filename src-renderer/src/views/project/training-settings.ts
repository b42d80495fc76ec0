/**
 * The Start form's time budget and advanced settings. The defaults mirror `defaultSettings` in
 * src-main/training/service.ts (the renderer may not import main-process code) and are only shown
 * as placeholders: a field left empty is not sent, so the backend's own default always applies.
 */
import type { CommandInput, CommandOutput } from '../../../../src-preload/contract';
import type { Preset } from '../../lib/types';

export type TrainingSettings = NonNullable<CommandOutput<'training.status'>['run']>['settings'];
export type SettingsOverrides = NonNullable<CommandInput<'training.start'>['settings']>;
export type AdvancedKey = 'minutes' | 'steps' | 'batchSize' | 'windowT' | 'learningRate' | 'checkpointEvery' | 'validateEvery';

export interface AdvancedField {
  key: AdvancedKey;
  label: string;
  hint: string;
  min: number;
  step: number | 'any';
  integer: boolean;
}

export const ADVANCED_FIELDS: AdvancedField[] = [
  { key: 'steps', label: 'Steps', hint: 'Stop after this many steps instead of a time budget', min: 1, step: 1, integer: true },
  { key: 'batchSize', label: 'Batch size', hint: 'Windows per step', min: 1, step: 1, integer: true },
  { key: 'windowT', label: 'Window', hint: 'Samples predicted per training window', min: 16, step: 1, integer: true },
  { key: 'learningRate', label: 'Learning rate', hint: 'Peak Adam rate (cosine decay)', min: 0, step: 'any', integer: false },
  { key: 'checkpointEvery', label: 'Checkpoint every', hint: 'Steps between saved weights', min: 1, step: 1, integer: true },
  { key: 'validateEvery', label: 'Validate every', hint: 'Steps between validation NLL', min: 1, step: 1, integer: true },
];

/** The Start form's minutes field, shown beside the button rather than under Advanced. */
export const MINUTES_FIELD: AdvancedField = { key: 'minutes', label: 'Train for', hint: 'minutes (the learning-rate schedule fits the budget)', min: 1, step: 1, integer: false };

/** Preset defaults; `minutes` null means the preset trains to its step count. */
export function presetDefaults(preset: Preset): Record<AdvancedKey, number | null> {
  const studio = preset === 'studio';
  return {
    minutes: studio ? null : 30,
    steps: studio ? 20_000 : null,
    batchSize: 4,
    windowT: 4096,
    learningRate: studio ? 1e-3 : 2e-3,
    checkpointEvery: studio ? 500 : 100,
    validateEvery: studio ? 250 : 50,
  };
}

/** Only the fields the user filled in; empty (null / NaN) ones fall back to the backend's default. */
export function overridesFrom(values: Partial<Record<AdvancedKey, number | null>>): SettingsOverrides {
  const out: SettingsOverrides = {};
  const filled = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  for (const field of [MINUTES_FIELD, ...ADVANCED_FIELDS]) {
    const value = values[field.key];
    if (filled(value)) out[field.key] = value;
  }
  // A step count alone means "train to that many steps", not "steps within the preset's budget".
  if (filled(values.steps) && !filled(values.minutes)) out.minutes = null;
  // A budget alone is not capped by the preset's step count.
  if (filled(values.minutes) && !filled(values.steps)) out.steps = 10_000_000;
  return out;
}
