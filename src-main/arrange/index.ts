/** Public surface of the arrangement model: types, pure helpers, edits, validation and history. */
export * from '../../src-shared/arrange/model';
export * from '../../src-shared/arrange/errors';
export * from '../../src-shared/arrange/validate';
export * from '../../src-shared/arrange/edits';
export * from './history';
export * from '../../src-shared/arrange/schema';
