// Public surface of the generation engine.
export type { StepEngine, EngineKind } from './engine';
export { createEngine } from './engine';
export { createJsEngine } from './engineJs';
export { createWasmEngine } from './engineWasm';
export type { SamplingSettings } from './sampling';
export { sampleClass, sampleFromWeights, argmax, seededRandom, validateSampling } from './sampling';
export type { TakeRequest, TakeResult, TakeProgress, RunHooks } from './takes';
export { runTakes, silenceClass, abortError } from './takes';
export { generateInThread } from './batches';
export type { GenerateOptions } from './pool';
export { generateTakes } from './pool';
export type { WorkerEntry } from './workerEntry';
export { workerEntry, setWorkerEntry, startWorker } from './workerEntry';
