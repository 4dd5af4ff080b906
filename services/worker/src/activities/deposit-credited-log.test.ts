// Proves the worker's `deposit credited` log line names the deposit's amount, fee and net as decimal USDT strings
// (what an operator reads), for a credited deposit and for one held for review (fee 0 until it is released).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@cardgate/config';
import { sql } from '@cardgate/db';
import { createAccountResolver, createLedger } from '@cardgate/ledger';
import { useTestDatabase } from '@cardgate/test-harness';
import { testMoneySettings } from '../testing.ts';
import { createDepositActivities } from './deposit.ts';

const database = useTestDatabase();

describe('the deposit credited log line', () => {
  it('names amount, fee and net in decimal USDT', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'deposit-log-test',
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const ledger = createLedger({ pool: database.pool });
    const userId = `log-${randomUUID().slice(0, 8)}`;
    const address = `TLog${randomUUID().replaceAll('-', '').replaceAll('0', 'z')}`
      .padEnd(34, 'x')
      .slice(0, 34);
    await database.pool.query(sql.type(z.object({}))`
      insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
      values (${userId}, 0, 7, ${address}, ${'41' + 'ef'.repeat(20)})`);
    const activities = createDepositActivities({
      pool: database.pool,
      ledger,
      accountIds: createAccountResolver(ledger),
      pricing: testMoneySettings.deposit,
      logger,
    });
    const credit = (txId: string, amountMinor: string) =>
      activities.creditDeposit({ txId, logIndex: 0, toAddress: address, asset: 'USDT', amountMinor });

    await credit('ab'.repeat(32), '100000000'); // 100 USDT: fee 0.5 + 1% = 1.5
    await credit('cd'.repeat(32), '4000000'); // 4 USDT: below the 5 USDT review minimum
    const credited = lines.filter((line) => line.msg === 'deposit credited');
    expect(credited).toHaveLength(2);
    expect(credited[0]).toMatchObject({
      amount: '100.000000',
      fee: '1.500000',
      net: '98.500000',
      asset: 'USDT',
    });
    expect(credited[1]).toMatchObject({
      amount: '4.000000',
      fee: '0.000000',
      net: '4.000000',
      heldForReview: true,
    });
  });
});
