/** Public surface of the export: offline mixer, shared mixing laws, stem file names and the export planner. */
export * from '../../src-shared/mix/laws';
export * from './mixer';
export * from './names';
export * from './stems';
