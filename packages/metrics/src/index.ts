export * from './registry.ts';
export * from './metrics-routes.ts';
export * from './scrape-gauge.ts';
export * from './http-metrics.ts';
export * from './dependency-health.ts';
export { Counter, Gauge, Histogram } from 'prom-client';
export * from './ledger-metrics.ts';
