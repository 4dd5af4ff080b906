export * from './paths.ts';
export * from './net.ts';
export * from './postgres.ts';
export * from './redis.ts';
export * from './temporal-cli.ts';
export * from './temporal-server.ts';
export * from './executables.ts';
export * from './stand-in-process.ts';
