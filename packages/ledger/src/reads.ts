// Reading the ledger: balances of one or many accounts, the accounts of one owner, statements with cursor paging (one
// account in commit order, or all of an owner's accounts newest first), transfers by id, and balances at a point in
// time or right after a given transfer (from the totals each journal row records).
import { sql, type DatabasePool, type FragmentSqlToken } from '@cardgate/db';
import { z } from 'zod';

import { LedgerError } from './ledger-error.ts';
import {
  accountColumns,
  accountFromRow,
  accountRow,
  transferColumns,
  transferFromRow,
  transferRowSchema,
} from './store.ts';
import type { Account, Balance, Totals, Transfer, TransferKind } from './types.ts';

const statementPageMax = 1_000;
/** Bound on the transfers read by id at once. */
export const transfersByIdsMax = 1_000;
/** Bound on the accounts one owner holds that a read returns (a user has a wallet and a handful of cards). */
export const ownedAccountsMax = 200;
/** Accounts of one owner read at once, at most (a user has a wallet and a few cards). */
export const ownerAccountsMax = 200;
/** Open pending transfers, or transfers of one account by code, on one page at most. */
export const transferPageMax = 500;
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

/**
 * The accounts `ownerRef` holds, by the ledger_account_by_owner index (migration 0012), in id order: a query for a
 * module that composes it with its own into one statement (one round trip). Its columns are `accountRow`'s, and it
 * names only the ledger's table. `ownerRef` is a value, or a column of the composing statement (a lateral join
 * reading many owners at once).
 */
export function accountsOwnedByQuery(ownerRef: string | FragmentSqlToken) {
  return sql.fragment`select ${accountColumns} from ledger_account where owner_ref = ${ownerRef}
    order by id limit ${ownedAccountsMax}`;
}

export { accountRow as ledgerAccountRow, accountFromRow as ledgerAccountFromRow };

/** One line of an owner's statement: a posted transfer, or a pending one with what became of it. */
export interface OwnerStatementLine {
  /** The posted or pending transfer this line is (resolutions of a pending one are folded into its line). */
  readonly transfer: Transfer;
  /** The owner's account it touches, and on which side. */
  readonly accountId: bigint;
  readonly accountCode: string;
  readonly side: 'debit' | 'credit';
  /** posted: moved money (directly, or a pending transfer posted since); pending: still reserved, not moved. */
  readonly status: 'posted' | 'pending';
  /** What moved, in minor units: the posted amount of a posted pending transfer (a partial post moves less). */
  readonly amountMinor: bigint;
  /** When a pending transfer was posted; null otherwise. */
  readonly postedAt: Date | null;
}

export interface OwnerStatementPage {
  readonly lines: readonly OwnerStatementLine[];
  /** Pass as `beforeSeq` for the next (older) page; undefined when this page is the last. */
  readonly nextCursor: bigint | undefined;
}

const ownerLineRow = transferRowSchema.extend({
  account_id: z.bigint(),
  account_code: z.string(),
  posted_amount: z.bigint().nullable(),
  posted_at_ms: z.bigint().nullable(),
});

const transferWithResolution = transferRowSchema.extend({
  resolved_by: z.enum(['posted', 'pending', 'post_pending', 'void_pending', 'expire_pending']).nullable(),
});

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

    /** The accounts `ownerRef` holds (a user's wallet and cards), in id order; one prepared statement. */
    async accountsOwnedBy(ownerRef: string): Promise<Account[]> {
      const rows = await pool.any(
        sql.prepared('cardgate_ledger_accounts_owned_by', accountRow)`${accountsOwnedByQuery(ownerRef)}`,
      );
      return rows.map(accountFromRow);
    },

    /** The transfers among `ids` that exist (at most transfersByIdsMax ids), in commit order. */
    async transfersByIds(ids: readonly string[]): Promise<Transfer[]> {
      if (ids.length > transfersByIdsMax)
        throw new LedgerError('batch_too_large', `at most ${transfersByIdsMax} transfers are read at once`);
      if (ids.length === 0) return [];
      const rows = await pool.any(sql.type(transferRowSchema)`
        select ${transferColumns} from ledger_transfer where id = any(${sql.array([...ids], 'text')}) order by seq`);
      return rows.map(transferFromRow);
    },

    /**
     * The statement of everything `ownerRef` holds, newest first, `limit` lines before `beforeSeq`: posted transfers
     * and pending ones, a pending transfer shown once, as posted when it was posted (with the posted amount) and left
     * out when it was voided or expired (it never moved money). So the posted lines of an account add up to its posted
     * balance and its pending lines to its pending totals. One round trip: for each owned account, its newest lines on
     * either side by the (account, seq) indexes, then the newest of those.
     */
    async ownerStatement(
      ownerRef: string,
      page: { beforeSeq?: bigint; limit?: number } = {},
    ): Promise<OwnerStatementPage> {
      const limit = Math.max(1, Math.min(page.limit ?? 100, statementPageMax));
      const before = page.beforeSeq ?? 2n ** 63n - 1n;
      // A pending transfer that was voided or expired is not a line; one that was posted is, with its post.
      const shown = sql.fragment`(t.kind = 'posted' or (t.kind = 'pending' and not exists (
        select 1 from ledger_transfer r where r.pending_id = t.id and r.kind <> 'post_pending')))`;
      const rows = await pool.any(sql.type(ownerLineRow)`
        with owned as (${accountsOwnedByQuery(ownerRef)}),
        lines as (
          select o.id as account_id, o.code as account_code, l.seq
          from owned o cross join lateral (
            (select t.seq from ledger_transfer t
              where t.debit_account_id = o.id and t.seq < ${before} and ${shown} order by t.seq desc limit ${limit})
            union all
            (select t.seq from ledger_transfer t
              where t.credit_account_id = o.id and t.seq < ${before} and ${shown} order by t.seq desc limit ${limit})
          ) l
          order by l.seq desc limit ${limit}
        )
        select shown_line.*, r.amount as posted_amount,
          (extract(epoch from r.created_at) * 1000)::int8 as posted_at_ms
        from (
          select ${transferColumns}, account_id, account_code from ledger_transfer join lines using (seq)
        ) shown_line
        left join ledger_transfer r on r.pending_id = shown_line.id and r.kind = 'post_pending'
        order by shown_line.seq desc, shown_line.account_id`);
      const lines = rows.map((row): OwnerStatementLine => {
        const transfer = transferFromRow(row);
        const posted = transfer.kind === 'posted' || row.posted_amount !== null;
        return {
          transfer,
          accountId: row.account_id,
          accountCode: row.account_code,
          side: transfer.debitAccountId === row.account_id ? 'debit' : 'credit',
          status: posted ? 'posted' : 'pending',
          amountMinor: row.posted_amount ?? transfer.amountMinor,
          postedAt: row.posted_at_ms === null ? null : new Date(Number(row.posted_at_ms)),
        };
      });
      const last = lines[lines.length - 1];
      return { lines, nextCursor: lines.length === limit && last ? last.transfer.seq : undefined };
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

    /** The accounts whose owner_ref is `ownerRef` (a user's wallet and cards), by id, at most ownerAccountsMax. */
    async accountsOfOwner(ownerRef: string): Promise<Account[]> {
      const rows = await pool.any(sql.type(accountRow)`
        select ${accountColumns} from ledger_account where owner_ref = ${ownerRef} order by id limit ${ownerAccountsMax}`);
      return rows.map(accountFromRow);
    },

    /** The transfer that posted, voided or expired pending transfer `pendingId`; undefined while it is open. */
    async resolutionOf(pendingId: string): Promise<Transfer | undefined> {
      const row = await pool.maybeOne(
        sql.type(
          transferRowSchema,
        )`select ${transferColumns} from ledger_transfer where pending_id = ${pendingId}`,
      );
      return row ? transferFromRow(row) : undefined;
    },

    /**
     * Pending transfers with `code` that are still open (neither posted, voided nor expired), in commit order, `limit`
     * (at most transferPageMax) after `afterSeq`. Read from the open-pending bookkeeping, which holds only open ones,
     * so the journal is touched by id only.
     */
    async openPendingByCode(code: string, page: { afterSeq?: bigint; limit: number }): Promise<Transfer[]> {
      const limit = Math.max(1, Math.min(page.limit, transferPageMax));
      const rows = await pool.any(sql.type(transferRowSchema)`
        select ${transferColumns} from ledger_transfer
        where id in (select transfer_id from ledger_pending_open) and code = ${code} and seq > ${page.afterSeq ?? 0n}
        order by seq limit ${limit}`);
      return rows.map(transferFromRow);
    },

    /**
     * Transfers of one account with one of `codes`, newest first, at most `limit` (≤ transferPageMax), each with the
     * kind of the transfer that resolved it when it is a pending transfer (null while open or when not pending).
     */
    async transfersByCode(
      accountId: bigint,
      codes: readonly string[],
      limit: number,
    ): Promise<Array<{ transfer: Transfer; resolvedBy: TransferKind | null }>> {
      const bounded = Math.max(1, Math.min(limit, transferPageMax));
      const codeList = sql.array([...codes], 'text');
      const rows = await pool.any(sql.type(transferWithResolution)`
        select ${transferColumns},
          (select r.kind from ledger_transfer r where r.pending_id = both_sides.id) as resolved_by
        from (
          (select * from ledger_transfer where debit_account_id = ${accountId} and code = any(${codeList})
            order by seq desc limit ${bounded})
          union all
          (select * from ledger_transfer where credit_account_id = ${accountId} and code = any(${codeList})
            order by seq desc limit ${bounded})
        ) both_sides order by seq desc limit ${bounded}`);
      return rows.map((row) => ({ transfer: transferFromRow(row), resolvedBy: row.resolved_by }));
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

export type LedgerReads = ReturnType<typeof createLedgerReads>;
