export * from './findings.ts';
export * from './compare-ledger.ts';
export * from './compare-chain.ts';
export * from './compare-provider.ts';
export * from './chain-reader.ts';
export * from './run-store.ts';
export * from './reconciler.ts';
export * from './report-json.ts';
