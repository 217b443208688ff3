export * from './types';
export * from './promql';
export * from './validate';
export * from './render';
export * from './template';
export * from './testing';
