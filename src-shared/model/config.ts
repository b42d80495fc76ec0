/** WaveNet hyper-parameters shared by the tfjs model, the generation engine and the UI. */
export interface WaveNetConfig {
  /** Audio rate the model is trained and generates at, in Hz. */
  sampleRate: number;
  /** R: channels of the residual stream. */
  residualChannels: number;
  /** D: output channels of each dilated conv; the first D/2 are the filter, the last D/2 the gate. */
  dilationChannels: number;
  /** S: channels of the skip stream and of the first output 1x1. */
  skipChannels: number;
  /** Layers per stack; dilations run 1, 2, 4, … 2^(layersPerStack-1) in each stack. */
  layersPerStack: number;
  stacks: number;
  /** Q: μ-law classes (256). */
  quantization: number;
  /** Number of global-condition labels; 0 means an unconditional model. */
  numLabels: number;
  /**
   * Channels of the pitch excitation each layer also sees (model/excitation.ts): 2 for models whose
   * labels name notes or chords, absent or 0 otherwise.
   */
  excitationChannels?: number;
}

export type PresetName = 'sketch' | 'studio' | 'custom';

/** Presets the UI offers. `sketch` learns something audible in minutes on a CPU; `studio` is the article's scale. */
export const PRESETS: Record<Exclude<PresetName, 'custom'>, Omit<WaveNetConfig, 'numLabels'>> = {
  sketch: {
    sampleRate: 16000,
    residualChannels: 32,
    dilationChannels: 64,
    skipChannels: 64,
    layersPerStack: 10,
    stacks: 2,
    quantization: 256,
  },
  studio: {
    sampleRate: 16000,
    residualChannels: 64,
    dilationChannels: 128,
    skipChannels: 128,
    layersPerStack: 10,
    stacks: 3,
    quantization: 256,
  },
};

/** Dilation of every layer in order: [1, 2, …, 2^(L-1)] repeated per stack. */
export function dilations(config: WaveNetConfig): number[] {
  const out: number[] = [];
  for (let s = 0; s < config.stacks; s++) {
    for (let l = 0; l < config.layersPerStack; l++) out.push(2 ** l);
  }
  return out;
}

/** Receptive field in samples (kernel size 2). */
export function receptiveField(config: WaveNetConfig): number {
  return 1 + dilations(config).reduce((a, b) => a + b, 0);
}

/** Receptive field in milliseconds at the model rate. */
export function receptiveFieldMs(config: WaveNetConfig): number {
  return (receptiveField(config) / config.sampleRate) * 1000;
}

/** Number of trainable parameters. */
export function parameterCount(config: WaveNetConfig): number {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q, numLabels: C } = config;
  const G = D / 2;
  const layers = config.layersPerStack * config.stacks;
  const E = config.excitationChannels ?? 0;
  const perLayer = 2 * R * D + D + C * D + E * D + G * R + R + G * S + S;
  return Q * R + layers * perLayer + S * S + S + S * Q + Q;
}

/** Throws a specific error when a config cannot describe a WaveNet. */
export function validateConfig(config: WaveNetConfig): void {
  const positive: (keyof WaveNetConfig)[] = [
    'sampleRate', 'residualChannels', 'dilationChannels', 'skipChannels', 'layersPerStack', 'stacks', 'quantization',
  ];
  for (const key of positive) {
    const v = config[key];
    if (v === undefined || !Number.isInteger(v) || v <= 0) throw new Error(`WaveNet config: ${key} must be a positive integer, got ${v}`);
  }
  if (config.dilationChannels % 2 !== 0) throw new Error('WaveNet config: dilationChannels must be even (filter + gate halves)');
  if (!Number.isInteger(config.numLabels) || config.numLabels < 0) throw new Error('WaveNet config: numLabels must be >= 0');
  const E = config.excitationChannels ?? 0;
  if (!Number.isInteger(E) || E < 0 || E > 16) throw new Error(`WaveNet config: excitationChannels must be an integer in [0, 16], got ${E}`);
}
