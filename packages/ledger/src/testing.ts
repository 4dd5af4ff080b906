// Helpers for the ledger's own tests and benchmark: accounts with unique codes, and Money shorthands.
import { USD, USDT, moneyFromMinor, type Money } from '@cardgate/money';
import type { Ledger } from './ledger.ts';
import type { Account, AccountSpec } from './types.ts';

let counter = 0;

export function uniqueCode(prefix: string): string {
  counter += 1;
  return `${prefix}:${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const usdt = (minor: bigint): Money => moneyFromMinor(minor, USDT);
export const usd = (minor: bigint): Money => moneyFromMinor(minor, USD);

export async function account(
  ledger: Ledger,
  spec: Partial<AccountSpec> & { code?: string } = {},
): Promise<Account> {
  const [created] = await ledger.createAccounts([
    {
      code: spec.code ?? uniqueCode('test'),
      asset: spec.asset ?? 'USDT',
      kind: spec.kind ?? 'liability',
      ...spec,
    },
  ]);
  return created!;
}

export function transferId(prefix = 't'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
