// Reading the ledger: balances of one or many accounts, statements with cursor paging, and balances at a point in
// time or right after a given transfer (from the totals each journal row records).
import { sql, type DatabasePool } from '@cardgate/db';

import { LedgerError } from './ledger-error.ts';
import {
  accountColumns,
  accountFromRow,
  accountRow,
  transferColumns,
  transferFromRow,
  transferRowSchema,
} from './store.ts';
import type { Account, Balance, Totals, Transfer } from './types.ts';

const statementPageMax = 1_000;
const zeroTotals: Totals = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };

export interface StatementEntry {
  readonly transfer: Transfer;
  readonly side: 'debit' | 'credit';
  /** This account's totals right after the transfer. */
  readonly after: Totals;
}

export interface StatementPage {
  readonly entries: readonly StatementEntry[];
  /** Pass as `afterSeq` for the next page; undefined when this page is the last. */
  readonly nextCursor: bigint | undefined;
}

export function balanceOf(account: Pick<Account, 'id' | 'asset'> & Totals): Balance {
  return {
    accountId: account.id,
    asset: account.asset,
    debitsPosted: account.debitsPosted,
    creditsPosted: account.creditsPosted,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
    postedNet: account.creditsPosted - account.debitsPosted,
    available: account.creditsPosted - account.debitsPosted - account.debitsPending,
  };
}

function sideOf(transfer: Transfer, accountId: bigint): StatementEntry {
  const side = transfer.debitAccountId === accountId ? 'debit' : 'credit';
  return { transfer, side, after: side === 'debit' ? transfer.debitAfter : transfer.creditAfter };
}

export function createLedgerReads(pool: DatabasePool) {
  return {
    async accounts(ids: readonly bigint[]): Promise<Account[]> {
      const rows = await pool.any(sql.type(accountRow)`
        select ${accountColumns} from ledger_account where id = any(${sql.array([...ids], 'int8')}) order by id`);
      return rows.map(accountFromRow);
    },

    async accountByCode(code: string): Promise<Account | undefined> {
      const row = await pool.maybeOne(
        sql.type(accountRow)`select ${accountColumns} from ledger_account where code = ${code}`,
      );
      return row ? accountFromRow(row) : undefined;
    },

    async balances(ids: readonly bigint[]): Promise<Balance[]> {
      const accounts = await this.accounts(ids);
      if (accounts.length !== new Set(ids).size)
        throw new LedgerError('account_not_found', 'an account does not exist');
      return accounts.map(balanceOf);
    },

    async transferById(id: string): Promise<Transfer | undefined> {
      const row = await pool.maybeOne(
        sql.type(transferRowSchema)`select ${transferColumns} from ledger_transfer where id = ${id}`,
      );
      return row ? transferFromRow(row) : undefined;
    },

    /** Transfers of one account in commit order, `limit` at a time after `afterSeq`. */
    async statement(
      accountId: bigint,
      page: { afterSeq?: bigint; limit?: number } = {},
    ): Promise<StatementPage> {
      const limit = Math.max(1, Math.min(page.limit ?? 100, statementPageMax));
      const afterSeq = page.afterSeq ?? 0n;
      const rows = await pool.any(sql.type(transferRowSchema)`
        select * from (
          (select ${transferColumns} from ledger_transfer
            where debit_account_id = ${accountId} and seq > ${afterSeq} order by seq limit ${limit})
          union all
          (select ${transferColumns} from ledger_transfer
            where credit_account_id = ${accountId} and seq > ${afterSeq} order by seq limit ${limit})
        ) both_sides order by seq limit ${limit}`);
      const entries = rows.map((row) => sideOf(transferFromRow(row), accountId));
      const last = entries[entries.length - 1];
      return { entries, nextCursor: entries.length === limit && last ? last.transfer.seq : undefined };
    },

    /**
     * The account's totals as they were right after transfer `afterSeq`, or at moment `at` (the last transfer
     * committed at or before it). Zero before the account's first transfer.
     */
    async balanceAt(accountId: bigint, point: { afterSeq: bigint } | { at: Date }): Promise<Balance> {
      const [account] = await this.accounts([accountId]);
      if (!account) throw new LedgerError('account_not_found', `account ${accountId} does not exist`);
      const bound =
        'afterSeq' in point
          ? sql.fragment`seq <= ${point.afterSeq}`
          : sql.fragment`created_at <= ${point.at.toISOString()}::timestamptz`;
      const row = await pool.maybeOne(sql.type(transferRowSchema)`
        select * from (
          (select ${transferColumns} from ledger_transfer where debit_account_id = ${accountId} and ${bound}
            order by seq desc limit 1)
          union all
          (select ${transferColumns} from ledger_transfer where credit_account_id = ${accountId} and ${bound}
            order by seq desc limit 1)
        ) both_sides order by seq desc limit 1`);
      const totals = row ? sideOf(transferFromRow(row), accountId).after : zeroTotals;
      return balanceOf({ id: accountId, asset: account.asset, ...totals });
    },
  };
}
