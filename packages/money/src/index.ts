export * from './asset.ts';
export * from './money.ts';
export * from './money-error.ts';
export * from './rounding.ts';
export * from './parse.ts';
export { formatMoney, formatMinor, moneyToJson, moneyFromJson, type MoneyJson } from './format.ts';
export * from './convert.ts';
