// Browser-safe surface of generation (no Node APIs): engines, sampling, in-thread batches.
export type { StepEngine, EngineKind } from './engine';
export { createEngine } from './engine';
export { createJsEngine } from './engineJs';
export type { WasmEngineOptions } from './engineWasm';
export { createWasmEngine } from './engineWasm';
export type { WeightPrecision } from './pack';
export type { SamplingSettings } from './sampling';
export { sampleClass, sampleFromWeights, argmax, seededRandom, validateSampling } from './sampling';
export type { TakeRequest, TakeResult, TakeProgress, RunHooks } from './takes';
export { runTakes, silenceClass, abortError } from './takes';
export { generateInThread } from './batches';
export type { LogitAgreement } from './agreement';
export { logitAgreement } from './agreement';
