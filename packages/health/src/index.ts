export * from './health-routes.ts';
export * from './serve.ts';
