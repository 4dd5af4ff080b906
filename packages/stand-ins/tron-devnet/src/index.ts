export * from './chain.ts';
export * from './server.ts';
export * from './synthetic.ts';
export * from './transactions.ts';
export { devnetBalanceCheckerContract } from './contract-routes.ts';
