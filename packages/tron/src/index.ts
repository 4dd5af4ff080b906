export * from './address.ts';
export * from './hd.ts';
export * from './transfer-log.ts';
export * from './node-client.ts';
export * from './balance-checker.ts';
