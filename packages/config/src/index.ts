export * from './env.ts';
export * from './logger.ts';
export * from './lifecycle.ts';
export * from './temporal-logger.ts';
export * from './pricing-env.ts';
