export * from './stream.ts';
export * from './publisher.ts';
export * from './hub.ts';
