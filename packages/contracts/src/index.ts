export * from './deposit.ts';
export * from './card.ts';
