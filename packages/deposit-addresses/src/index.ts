export * from './deposit-address-store.ts';
