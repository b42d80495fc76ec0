import { initBackend } from '../src-main/model/backend';
import type { WaveNetConfig } from '../src-main/model/config';
import { flattenWeights } from '../src-main/model/params';
import { mulberry32, randomWeights } from '../src-main/model/weights';
import { lossAndGrads } from '../src-main/training/grad';
await initBackend({ force: 'wasm' });
const base: WaveNetConfig = { sampleRate: 16000, residualChannels: 32, dilationChannels: 64, skipChannels: 64, layersPerStack: 10, stacks: 2, quantization: 256, numLabels: 0 };
const r = mulberry32(1);
const L = Number(process.env.L ?? 6142), T = Number(process.env.T ?? 4096), B = Number(process.env.B ?? 1);
const mk = () => ({ B, L, T, inputs: Int32Array.from({ length: B * L }, () => Math.floor(r() * 256)), targets: Int32Array.from({ length: B * T }, () => Math.floor(r() * 256)), labels: new Int32Array(B) });
const P = 60;
for (const [name, cfg, extra] of [
  ['plain', base, {}],
  ['cond', { ...base, numLabels: P }, { conditions: new Float32Array(B * P).fill(0.3) }],
  ['cond+exc', { ...base, numLabels: P, excitationChannels: 2 }, { conditions: new Float32Array(B * P).fill(0.3), excitation: Float32Array.from({ length: B * L * 2 }, () => r()) }],
] as const) {
  const flat = flattenWeights(randomWeights(cfg as WaveNetConfig, 1));
  const batch = { ...mk(), ...extra };
  lossAndGrads(cfg as WaveNetConfig, flat, batch);
  const ts: number[] = [];
  for (let i = 0; i < 3; i++) { const t0 = performance.now(); lossAndGrads(cfg as WaveNetConfig, flat, batch); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log(name, 'ms', ts[1].toFixed(0), 'scored/s one thread', (B * T / ts[1] * 1000).toFixed(0));
}
import { sequenceLosses } from '../src-main/training/grad';
for (const [name, cfg, extra] of [
  ['plain', base, {}],
  ['cond', { ...base, numLabels: P }, { conditions: new Float32Array(B * P).fill(0.3) }],
  ['cond+exc', { ...base, numLabels: P, excitationChannels: 2 }, { conditions: new Float32Array(B * P).fill(0.3), excitation: Float32Array.from({ length: B * L * 2 }, () => r()) }],
] as const) {
  const flat = flattenWeights(randomWeights(cfg as WaveNetConfig, 1));
  const batch = { ...mk(), ...extra };
  sequenceLosses(cfg as WaveNetConfig, flat, batch);
  const ts: number[] = [];
  for (let i = 0; i < 3; i++) { const t0 = performance.now(); sequenceLosses(cfg as WaveNetConfig, flat, batch); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log('forward', name, 'ms', ts[1].toFixed(0));
}
