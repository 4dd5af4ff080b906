export * from './load-limits.ts';
export * from './card-load-hold.ts';
