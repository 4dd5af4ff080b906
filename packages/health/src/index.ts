export * from './health-routes.ts';
export * from './serve.ts';
export * from './dependency-checks.ts';
