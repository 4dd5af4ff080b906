export * from './address.ts';
export * from './hd.ts';
export * from './transfer-log.ts';
export * from './deposit-addresses.ts';
export * from './node-client.ts';
