/** Public surface of the arrangement model: types, pure helpers, edits, validation and history. */
export * from './model';
export * from './errors';
export * from './validate';
export * from './edits';
export * from './history';
export * from './schema';
