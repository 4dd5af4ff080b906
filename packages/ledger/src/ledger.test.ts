// Proves the ledger's rules on the real PostgreSQL, one rule per test: double entry and balances, flags, linked
// batches (all or nothing), pending transfers (post fully or partly, void, expiry), idempotency (same id same
// content → original outcome; different content → exists_with_different_fields), bad input (typed error, nothing
// written), immutability enforced by the database, statements with paging and point-in-time balances, and verify.
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabasePool, sql } from '@cardgate/db';
import { USD, moneyFromMinor } from '@cardgate/money';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLedger, expiryTransferId, type Ledger } from './ledger.ts';
import { LedgerError, type LedgerErrorReason } from './ledger-error.ts';
import { account, transferId, usd, usdt } from './testing.ts';

const database = useTestDatabase();
let clock = new Date('2026-01-01T00:00:00Z');
let ledger: Ledger;

beforeAll(() => {
  ledger = createLedger({ pool: database.pool, now: () => clock });
});

async function reasonOf(promise: Promise<unknown>): Promise<LedgerErrorReason | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof LedgerError) return error.reason;
    throw error;
  }
}

async function transferCount(): Promise<bigint> {
  return database.pool.oneFirst(
    sql.type(z.object({ count: z.bigint() }))`select count(*) as count from ledger_transfer`,
  );
}

async function funded(minor: bigint) {
  const treasury = await account(ledger, { kind: 'asset' });
  const wallet = await account(ledger, { debitsMustNotExceedCredits: true });
  await ledger.transfer({
    type: 'posted',
    id: transferId('fund'),
    code: 'deposit',
    debitAccountId: treasury.id,
    creditAccountId: wallet.id,
    amount: usdt(minor),
  });
  return { treasury, wallet };
}

describe('posted transfers', () => {
  it('moves money between two accounts and records both sides after it', async () => {
    const { treasury, wallet } = await funded(10_000_000n);
    const [treasuryBalance, walletBalance] = await ledger.balances([treasury.id, wallet.id]);
    expect(walletBalance).toMatchObject({ creditsPosted: 10_000_000n, available: 10_000_000n });
    expect(treasuryBalance).toMatchObject({ debitsPosted: 10_000_000n, postedNet: -10_000_000n });
    const statement = await ledger.statement(wallet.id);
    expect(statement.entries[0]).toMatchObject({ side: 'credit', after: { creditsPosted: 10_000_000n } });
  });

  it('refuses to overdraw an account that must not, and writes nothing', async () => {
    const { wallet } = await funded(5n);
    const fees = await account(ledger, { kind: 'revenue' });
    const before = await transferCount();
    const reason = await reasonOf(
      ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'fee',
        debitAccountId: wallet.id,
        creditAccountId: fees.id,
        amount: usdt(6n),
      }),
    );
    expect(reason).toBe('exceeds_credits');
    expect(await transferCount()).toBe(before);
    expect((await ledger.balances([wallet.id]))[0]!.available).toBe(5n);
  });

  it('enforces credits_must_not_exceed_debits', async () => {
    const capped = await account(ledger, { kind: 'asset', creditsMustNotExceedDebits: true });
    const other = await account(ledger);
    const reason = await reasonOf(
      ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'test',
        debitAccountId: other.id,
        creditAccountId: capped.id,
        amount: usdt(1n),
      }),
    );
    expect(reason).toBe('exceeds_debits');
  });
});

describe('bad input', () => {
  it('refuses each malformed request with its reason and writes nothing', async () => {
    const { wallet, treasury } = await funded(100n);
    const dollars = await account(ledger, { asset: 'USD' });
    const before = await transferCount();
    const base = {
      type: 'posted' as const,
      code: 'test',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
    };
    const cases: [unknown, LedgerErrorReason][] = [
      [{ ...base, id: transferId(), amount: usdt(0n) }, 'invalid_amount'],
      [{ ...base, id: transferId(), amount: moneyFromMinor(-1n, usdt(1n).asset) }, 'invalid_amount'],
      [{ ...base, id: transferId(), amount: undefined }, 'invalid_amount'],
      [{ ...base, id: 'bad id with spaces', amount: usdt(1n) }, 'invalid_id'],
      [{ ...base, id: '', amount: usdt(1n) }, 'invalid_id'],
      [{ ...base, id: transferId(), code: 'Bad Code', amount: usdt(1n) }, 'invalid_code'],
      [{ ...base, id: transferId(), creditAccountId: treasury.id, amount: usdt(1n) }, 'same_account'],
      [{ ...base, id: transferId(), creditAccountId: 999_999_999n, amount: usdt(1n) }, 'account_not_found'],
      [{ ...base, id: transferId(), creditAccountId: dollars.id, amount: usdt(1n) }, 'asset_mismatch'],
      [{ ...base, id: transferId(), amount: usd(1n) }, 'asset_mismatch'],
      [{ ...base, id: transferId(), amount: usdt(1n), metadata: { rate: 1.5 } }, 'invalid_metadata'],
      [{ ...base, id: transferId(), debitAccountId: 0n, amount: usdt(1n) }, 'invalid_account'],
    ];
    for (const [request, reason] of cases)
      expect(
        await reasonOf(ledger.submit([request as never])),
        JSON.stringify(request, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      ).toBe(reason);
    expect(await reasonOf(ledger.submit([]))).toBe('batch_empty');
    expect(await transferCount()).toBe(before);
  });

  it('refuses a transfer touching a closed account', async () => {
    const empty = await account(ledger);
    const other = await account(ledger);
    await ledger.closeAccount(empty.id);
    const reason = await reasonOf(
      ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'test',
        debitAccountId: other.id,
        creditAccountId: empty.id,
        amount: usdt(1n),
      }),
    );
    expect(reason).toBe('account_closed');
  });
});

describe('linked batches', () => {
  it('commits every transfer or none', async () => {
    const { wallet, treasury } = await funded(1_000n);
    const fees = await account(ledger, { kind: 'revenue' });
    const merchant = await account(ledger);
    const before = await transferCount();
    const reason = await reasonOf(
      ledger.submit([
        {
          type: 'posted',
          id: transferId(),
          code: 'card_load',
          debitAccountId: wallet.id,
          creditAccountId: merchant.id,
          amount: usdt(900n),
        },
        {
          type: 'posted',
          id: transferId(),
          code: 'fee',
          debitAccountId: wallet.id,
          creditAccountId: fees.id,
          amount: usdt(200n),
        },
      ]),
    );
    expect(reason).toBe('exceeds_credits');
    expect(await transferCount()).toBe(before);
    const results = await ledger.submit([
      {
        type: 'posted',
        id: transferId(),
        code: 'card_load',
        debitAccountId: wallet.id,
        creditAccountId: merchant.id,
        amount: usdt(900n),
      },
      {
        type: 'posted',
        id: transferId(),
        code: 'fee',
        debitAccountId: wallet.id,
        creditAccountId: fees.id,
        amount: usdt(100n),
      },
    ]);
    expect(results.map((result) => result.status)).toEqual(['created', 'created']);
    expect(results[0]!.transfer.batchId).toBe(results[1]!.transfer.batchId);
    expect((await ledger.balances([wallet.id]))[0]!.available).toBe(0n);
    expect(treasury.id).toBeDefined();
  });

  it('converts between assets as a linked batch through FX position accounts, with the rate stored', async () => {
    const { wallet } = await funded(10_000_000n);
    const fxUsdt = await account(ledger, { kind: 'equity' });
    const fxUsd = await account(ledger, { kind: 'equity', asset: 'USD' });
    const card = await account(ledger, { asset: 'USD' });
    const rate = { rate: '0.9975' };
    const results = await ledger.submit([
      {
        type: 'posted',
        id: transferId(),
        code: 'fx',
        debitAccountId: wallet.id,
        creditAccountId: fxUsdt.id,
        amount: usdt(10_000_000n),
        metadata: rate,
      },
      {
        type: 'posted',
        id: transferId(),
        code: 'fx',
        debitAccountId: fxUsd.id,
        creditAccountId: card.id,
        amount: moneyFromMinor(997n, USD),
        metadata: rate,
      },
    ]);
    expect(results[1]!.transfer.metadata).toEqual(rate);
    expect((await ledger.balances([card.id]))[0]!.postedNet).toBe(997n);
  });
});

describe('idempotency', () => {
  it('answers a repeated request with its original outcome and moves money once', async () => {
    const { wallet, treasury } = await funded(50n);
    const request = {
      type: 'posted' as const,
      id: transferId(),
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(7n),
    };
    const first = await ledger.transfer(request);
    const second = await ledger.transfer({ ...request });
    expect(first.status).toBe('created');
    expect(second.status).toBe('exists');
    expect(second.transfer.seq).toBe(first.transfer.seq);
    expect((await ledger.balances([wallet.id]))[0]!.creditsPosted).toBe(57n);
  });

  it('refuses the same id with different content', async () => {
    const { wallet, treasury } = await funded(50n);
    const request = {
      type: 'posted' as const,
      id: transferId(),
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(7n),
    };
    await ledger.transfer(request);
    expect(await reasonOf(ledger.transfer({ ...request, amount: usdt(8n) }))).toBe(
      'exists_with_different_fields',
    );
    expect(await reasonOf(ledger.transfer({ ...request, metadata: { note: 'x' } }))).toBe(
      'exists_with_different_fields',
    );
  });

  it('gives concurrent duplicates one effect', async () => {
    const { wallet, treasury } = await funded(1n);
    const request = {
      type: 'posted' as const,
      id: transferId(),
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(3n),
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.transfer({ ...request })));
    expect(results.filter((result) => result.status === 'created')).toHaveLength(1);
    expect((await ledger.balances([wallet.id]))[0]!.creditsPosted).toBe(4n);
  });

  it('creates accounts idempotently by code', async () => {
    const code = `user:${Date.now()}:wallet:USDT`;
    const first = await account(ledger, { code });
    const again = await account(ledger, { code });
    expect(again.id).toBe(first.id);
    await expect(account(ledger, { code, kind: 'asset' })).rejects.toThrow(/different fields/);
  });
});

describe('pending transfers', () => {
  it('reserves funds, counts them against available, and posts fully', async () => {
    const { wallet } = await funded(100n);
    const card = await account(ledger);
    const hold = await ledger.transfer({
      type: 'pending',
      id: transferId(),
      code: 'card_load',
      debitAccountId: wallet.id,
      creditAccountId: card.id,
      amount: usdt(60n),
    });
    expect((await ledger.balances([wallet.id]))[0]).toMatchObject({
      available: 40n,
      debitsPending: 60n,
      debitsPosted: 0n,
    });
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'pending',
          id: transferId(),
          code: 'card_load',
          debitAccountId: wallet.id,
          creditAccountId: card.id,
          amount: usdt(41n),
        }),
      ),
    ).toBe('exceeds_credits');
    await ledger.transfer({
      type: 'post_pending',
      id: transferId(),
      code: 'card_load',
      pendingId: hold.transfer.id,
    });
    expect((await ledger.balances([wallet.id]))[0]).toMatchObject({
      available: 40n,
      debitsPending: 0n,
      debitsPosted: 60n,
    });
    expect((await ledger.balances([card.id]))[0]!.creditsPosted).toBe(60n);
  });

  it('posts part of a hold and releases the rest; posting more than held is refused', async () => {
    const { wallet } = await funded(100n);
    const card = await account(ledger);
    const hold = await ledger.transfer({
      type: 'pending',
      id: transferId(),
      code: 'card_load',
      debitAccountId: wallet.id,
      creditAccountId: card.id,
      amount: usdt(60n),
    });
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'post_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: hold.transfer.id,
          amount: usdt(61n),
        }),
      ),
    ).toBe('post_exceeds_pending');
    await ledger.transfer({
      type: 'post_pending',
      id: transferId(),
      code: 'card_load',
      pendingId: hold.transfer.id,
      amount: usdt(45n),
    });
    expect((await ledger.balances([wallet.id]))[0]).toMatchObject({
      available: 55n,
      debitsPending: 0n,
      debitsPosted: 45n,
    });
  });

  it('voids a hold; voiding twice, or posting after a void, is refused', async () => {
    const { wallet } = await funded(100n);
    const card = await account(ledger);
    const hold = await ledger.transfer({
      type: 'pending',
      id: transferId(),
      code: 'card_load',
      debitAccountId: wallet.id,
      creditAccountId: card.id,
      amount: usdt(60n),
    });
    await ledger.transfer({
      type: 'void_pending',
      id: transferId(),
      code: 'card_load',
      pendingId: hold.transfer.id,
    });
    expect((await ledger.balances([wallet.id]))[0]!.available).toBe(100n);
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'void_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: hold.transfer.id,
        }),
      ),
    ).toBe('pending_already_voided');
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'post_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: hold.transfer.id,
        }),
      ),
    ).toBe('pending_already_voided');
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'void_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: 'no-such-hold',
        }),
      ),
    ).toBe('pending_not_found');
  });

  it('lets only one of two concurrent resolutions of a hold win', async () => {
    const { wallet } = await funded(100n);
    const card = await account(ledger);
    const hold = await ledger.transfer({
      type: 'pending',
      id: transferId(),
      code: 'card_load',
      debitAccountId: wallet.id,
      creditAccountId: card.id,
      amount: usdt(60n),
    });
    const attempts = await Promise.allSettled([
      ledger.transfer({
        type: 'post_pending',
        id: transferId(),
        code: 'card_load',
        pendingId: hold.transfer.id,
      }),
      ledger.transfer({
        type: 'post_pending',
        id: transferId(),
        code: 'card_load',
        pendingId: hold.transfer.id,
      }),
      ledger.transfer({
        type: 'void_pending',
        id: transferId(),
        code: 'card_load',
        pendingId: hold.transfer.id,
      }),
    ]);
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('expires a hold after its timeout: posting is refused even before the sweep, the sweep releases the funds once', async () => {
    const { wallet } = await funded(100n);
    const card = await account(ledger);
    const timeoutAt = new Date(clock.getTime() + 60_000);
    const hold = await ledger.transfer({
      type: 'pending',
      id: transferId(),
      code: 'card_load',
      debitAccountId: wallet.id,
      creditAccountId: card.id,
      amount: usdt(70n),
      timeoutAt,
    });
    clock = new Date(timeoutAt.getTime() + 1);
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'post_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: hold.transfer.id,
        }),
      ),
    ).toBe('pending_expired');
    const [first, second] = await Promise.all([ledger.expirePending(100), ledger.expirePending(100)]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect((await ledger.balances([wallet.id]))[0]!.available).toBe(100n);
    expect(await ledger.expirePending(100)).toBe(0);
    expect(
      await reasonOf(
        ledger.transfer({
          type: 'void_pending',
          id: transferId(),
          code: 'card_load',
          pendingId: hold.transfer.id,
        }),
      ),
    ).toBe('pending_already_voided');
  });
});

describe('reading', () => {
  it('pages a statement with a cursor and gives balances after a transfer and at a moment', async () => {
    const { wallet, treasury } = await funded(1n);
    const seqs: bigint[] = [];
    for (let index = 0; index < 5; index += 1) {
      const result = await ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'deposit',
        debitAccountId: treasury.id,
        creditAccountId: wallet.id,
        amount: usdt(10n),
      });
      seqs.push(result.transfer.seq);
    }
    const first = await ledger.statement(wallet.id, { limit: 4 });
    expect(first.entries).toHaveLength(4);
    const second = await ledger.statement(wallet.id, { limit: 4, afterSeq: first.nextCursor! });
    expect(second.entries).toHaveLength(2);
    expect(second.nextCursor).toBeUndefined();
    expect((await ledger.balanceAt(wallet.id, { afterSeq: seqs[1]! })).creditsPosted).toBe(21n);
    expect((await ledger.balanceAt(wallet.id, { at: new Date('2000-01-01') })).creditsPosted).toBe(0n);
    expect((await ledger.balanceAt(wallet.id, { at: new Date(Date.now() + 60_000) })).creditsPosted).toBe(
      51n,
    );
  });
});

describe('database guards', () => {
  it('refuses to update, delete or truncate journal rows, and to break a flag directly', async () => {
    const { wallet } = await funded(10n);
    await expect(
      database.pool.query(sql.type(z.object({}))`update ledger_transfer set amount = amount + 1`),
    ).rejects.toThrow(/immutable/);
    await expect(database.pool.query(sql.type(z.object({}))`delete from ledger_transfer`)).rejects.toThrow(
      /immutable/,
    );
    await expect(
      database.pool.query(sql.type(z.object({}))`truncate ledger_transfer cascade`),
    ).rejects.toThrow(/immutable/);
    await expect(
      database.pool.query(
        sql.type(z.object({}))`update ledger_account set debits_posted = 11 where id = ${wallet.id}`,
      ),
    ).rejects.toMatchObject({ constraint: 'ledger_account_debits_within_credits' });
  });

  it('refuses a journal row whose account is missing or holds another asset, and a change of an account’s id or asset', async () => {
    // Migration 0011 checks this once per statement instead of with two foreign keys; the bad row comes last in a
    // statement of several, so a check that looked at the first row only would let it through.
    const { treasury, wallet } = await funded(10n);
    const dollars = await account(ledger, { asset: 'USD' });
    const row = (id: string, debit: bigint, credit: bigint, asset: string) =>
      sql.fragment`(${id}, ${id}, 'posted', 'test', ${asset}, ${debit}, ${credit}, 1, 0, 0, 0, 0, 0, 0, 0, 0)`;
    const insert = (...rows: ReturnType<typeof row>[]) =>
      database.pool.query(sql.type(z.object({}))`
        insert into ledger_transfer (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
          debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
          credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
        values ${sql.join(rows, sql.fragment`, `)}`);
    const refusal = { cause: { code: '23503' } };
    const before = await transferCount();
    const good = () => row(transferId('direct'), treasury.id, wallet.id, 'USDT');
    await expect(
      insert(good(), good(), row(transferId('direct'), treasury.id, 999_999_999n, 'USDT')),
    ).rejects.toMatchObject(refusal);
    await expect(
      insert(good(), row(transferId('direct'), 999_999_999n, wallet.id, 'USDT')),
    ).rejects.toMatchObject(refusal);
    await expect(
      insert(good(), row(transferId('direct'), dollars.id, wallet.id, 'USDT')),
    ).rejects.toMatchObject(refusal);
    await expect(insert(row(transferId('direct'), treasury.id, wallet.id, 'USD'))).rejects.toMatchObject(
      refusal,
    );
    expect(await transferCount()).toBe(before);
    await database.pool.query(
      sql.type(z.object({}))`update ledger_account set kind = kind where id = ${wallet.id}`,
    );
    await expect(
      database.pool.query(
        sql.type(z.object({}))`update ledger_account set asset = 'USD' where id = ${wallet.id}`,
      ),
    ).rejects.toMatchObject(refusal);
    await expect(
      database.pool.query(
        sql.type(z.object({}))`update ledger_account set id = default where id = ${wallet.id}`,
      ),
    ).rejects.toMatchObject(refusal);
  });

  it('refuses journal ids and codes outside their rules at the limits the rules name (0011 rewrote both checks)', async () => {
    const { treasury, wallet } = await funded(10n);
    class RolledBack extends Error {}
    // Inserted in a transaction that is then rolled back: an accepted row is never left in the journal.
    const attempt = (id: string, code: string) =>
      database.pool.transaction(async (connection) => {
        await connection.query(sql.type(z.object({}))`
          insert into ledger_transfer (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
            debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
            credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
          values (${id}, ${id}, 'posted', ${code}, 'USDT', ${treasury.id}, ${wallet.id}, 1, 0, 0, 0, 0, 0, 0, 0, 0)`);
        throw new RolledBack();
      });
    const accepted = expect.any(RolledBack);
    await expect(attempt(`A${'b:._-9'.repeat(22)}`.slice(0, 128), 'a'.repeat(64))).rejects.toEqual(accepted);
    await expect(attempt('9', 'z0_.:-')).rejects.toEqual(accepted);
    for (const id of ['a'.repeat(129), '-a', ':a', '', 'a b', 'a/b', 'é', 'a\n'])
      await expect(attempt(id, 'test')).rejects.toMatchObject({ constraint: 'ledger_transfer_id_check' });
    for (const code of ['a'.repeat(65), 'A', '1a', '', 'a b', 'aB', 'a\n'])
      await expect(attempt(transferId(), code)).rejects.toMatchObject({
        constraint: 'ledger_transfer_code_check',
      });
  });

  it('verify finds a tampered total', async () => {
    expect((await ledger.verify()).ok).toBe(true);
    const victim = await account(ledger, { kind: 'asset' });
    await database.pool.query(
      sql.type(z.object({}))`update ledger_account set credits_posted = 5 where id = ${victim.id}`,
    );
    const report = await ledger.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain(`account ${victim.id}: stored credits_posted 5`);
    await database.pool.query(
      sql.type(z.object({}))`update ledger_account set credits_posted = 0 where id = ${victim.id}`,
    );
  });

  it('verify finds an open-hold row that names no pending transfer (the table has no foreign key since 0008)', async () => {
    await database.pool.query(
      sql.type(z.object({}))`insert into ledger_pending_open (transfer_id) values ('no-such-hold')`,
    );
    const report = await ledger.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('open hold no-such-hold names no pending transfer');
    await database.pool.query(
      sql.type(z.object({}))`delete from ledger_pending_open where transfer_id = 'no-such-hold'`,
    );
    expect((await ledger.verify()).ok).toBe(true);
  });
});

describe('expiry ids', () => {
  it('are deterministic, and distinct for long pending ids that share a prefix', () => {
    expect(expiryTransferId('hold-1')).toBe('expire:hold-1');
    const long = 'h'.repeat(125);
    expect(expiryTransferId(`${long}-a`)).not.toBe(expiryTransferId(`${long}-b`));
    expect(expiryTransferId(`${long}-a`).length).toBeLessThanOrEqual(128);
  });
});

describe('database failures', () => {
  it('reports a database that went away as unavailable after bounded retries, never as a business error', async () => {
    // A TCP proxy to the test database that can be cut: the pool starts healthy, then every connection is refused.
    const target = new URL(database.url);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const pool = await createDatabasePool({ connectionUri: viaProxy.toString(), connectionTimeoutMs: 500 });
    const failing = createLedger({ pool, attemptsMax: 3, retryBackoffMsMax: 5 });
    const { wallet, treasury } = await funded(10n);
    const request = {
      type: 'posted' as const,
      id: transferId(),
      code: 'test',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(1n),
    };
    expect((await failing.transfer(request)).status).toBe('created');

    proxy.close();
    for (const socket of sockets) socket.destroy();
    const error = await failing.transfer({ ...request, id: transferId() }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ reason: 'retries_exhausted', code: 'unavailable' });
    await pool.end().catch(() => undefined);
  });
});
