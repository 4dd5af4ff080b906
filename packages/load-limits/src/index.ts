export * from './load-limits.ts';
