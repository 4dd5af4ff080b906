export * from './user-balances.ts';
