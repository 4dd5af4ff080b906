// Cardgate's pure domain. Nothing here does I/O: no database, no Temporal, no Node I/O (eslint.config.js enforces it),
// so workflows and activities alike may import it and its tests need no database.
export * from './chart.ts';
export * from './deposit-pricing.ts';
export * from './fx-quote.ts';
export * from './card-load-quote.ts';
export * from './card-load-plan.ts';
export * from './card-transaction-state.ts';
export * from './card-transaction-plan.ts';
export * from './program-limits.ts';
export * from './transfer-references.ts';
