// The Mini App's API layer: the only folder that knows URLs, headers and the wire shapes of issue 10.
export * from './client.ts';
export * from './problem.ts';
export * from './events.ts';
