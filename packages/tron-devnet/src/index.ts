export * from './chain.ts';
export * from './server.ts';
