// The owner of deposit_address and deposit_address_counter: the only module that reads or writes them. It assigns
// each user one deposit address, derived watch-only from the account xpub (idempotent per user: asking again returns
// the same address; two concurrent first requests for one user create one row), pages through the addresses for the
// watcher's address book, and names the owner of an address for the worker's deposit credit.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { deriveAddressFromXpub } from '@cardgate/tron';
import { z } from 'zod';

export interface DepositAddress {
  readonly userId: string;
  readonly derivationIndex: number;
  readonly base58: string;
  readonly hex41: string;
}

/** One row of the address book: the identity id orders the pages. */
export interface DepositAddressEntry {
  readonly id: bigint;
  readonly base58: string;
  readonly hex41: string;
}

export interface OwnedDepositAddress extends DepositAddressEntry {
  readonly userId: string;
}

/** An address derived elsewhere (a benchmark's fixtures, an import), stored as it is. */
export interface DepositAddressImport extends DepositAddress {
  readonly chainAccount: number;
}

const addressRow = z.object({
  user_id: z.string(),
  derivation_index: z.number(),
  address_base58: z.string(),
  address_hex: z.string(),
});
const entryRow = z.object({ id: z.bigint(), address_base58: z.string(), address_hex: z.string() });
const ownedRow = entryRow.extend({ user_id: z.string() });
const ownerRow = z.object({ user_id: z.string() });
const indexRow = z.object({ index: z.number() });
const noRows = z.object({});
const userIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
/** Bound on one page of the address book and on one import statement. */
export const depositAddressRowsMax = 10_000;

const toAddress = (row: z.infer<typeof addressRow>): DepositAddress => ({
  userId: row.user_id,
  derivationIndex: row.derivation_index,
  base58: row.address_base58,
  hex41: row.address_hex,
});

function checkRowCount(rows: number, what: string): void {
  if (!Number.isInteger(rows) || rows < 0 || rows > depositAddressRowsMax)
    throw new AppError('invalid_input', `${what}: ${rows} rows, at most ${depositAddressRowsMax}`, {
      reason: 'batch_too_large',
    });
}

/** Reads (and bulk imports) that need no key material: the watcher's address book and the worker's credit. */
export function createDepositAddressStore(pool: DatabasePool) {
  return {
    /** Addresses with id > afterId, in id order, at most `limit` (≤ depositAddressRowsMax). */
    async pageAfter(afterId: bigint, limit: number): Promise<readonly DepositAddressEntry[]> {
      checkRowCount(limit, 'deposit address page');
      const rows = await pool.any(sql.type(entryRow)`
        select id, address_base58, address_hex from deposit_address where id > ${afterId} order by id limit ${limit}`);
      return rows.map((row) => ({ id: row.id, base58: row.address_base58, hex41: row.address_hex }));
    },

    /** Like `pageAfter`, with each address's owner: what a reconciliation maps ledger credits (by user) onto. */
    async ownedPageAfter(afterId: bigint, limit: number): Promise<readonly OwnedDepositAddress[]> {
      checkRowCount(limit, 'deposit address page');
      const rows = await pool.any(sql.type(ownedRow)`
        select id, user_id, address_base58, address_hex from deposit_address where id > ${afterId}
        order by id limit ${limit}`);
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        base58: row.address_base58,
        hex41: row.address_hex,
      }));
    },

    /** The user who owns the address, given in base58 (`T...`) or hex (`41...`) form; null when nobody does. */
    async findOwner(address: string): Promise<string | null> {
      return pool.maybeOneFirst(sql.type(ownerRow)`
        select user_id from deposit_address where address_base58 = ${address} or address_hex = ${address}`);
    },

    /** The user's deposit address, if one was assigned (a read: it never hands out an index). */
    async addressOf(userId: string): Promise<DepositAddress | null> {
      const row = await pool.maybeOne(sql.type(addressRow)`
        select user_id, derivation_index, address_base58, address_hex from deposit_address where user_id = ${userId}`);
      return row ? toAddress(row) : null;
    },

    /**
     * Stores addresses derived elsewhere in one statement; the caller vouches that each is its index's derivation.
     * Returns how many were inserted.
     */
    async importAddresses(addresses: readonly DepositAddressImport[]): Promise<number> {
      checkRowCount(addresses.length, 'deposit address import');
      if (addresses.length === 0) return 0;
      const inserted = await pool.query(sql.type(noRows)`
        insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
        select * from unnest(
          ${sql.array(
            addresses.map((address) => address.userId),
            'text',
          )},
          ${sql.array(
            addresses.map((address) => address.chainAccount),
            'int4',
          )},
          ${sql.array(
            addresses.map((address) => address.derivationIndex),
            'int4',
          )},
          ${sql.array(
            addresses.map((address) => address.base58),
            'text',
          )},
          ${sql.array(
            addresses.map((address) => address.hex41),
            'text',
          )})`);
      return inserted.rowCount;
    },
  };
}

export type DepositAddressStore = ReturnType<typeof createDepositAddressStore>;

export interface DepositAddressServiceOptions {
  readonly pool: DatabasePool;
  /** Account-level extended public key for m/44'/195'/<account>'. */
  readonly xpub: string;
  readonly account: number;
}

/** Get-or-create of a user's deposit address: the one write that hands out derivation indexes. */
export function createDepositAddressService(options: DepositAddressServiceOptions) {
  const { pool, xpub, account } = options;

  return {
    async assign(userId: string): Promise<DepositAddress> {
      if (!userIdPattern.test(userId))
        throw new AppError('invalid_input', 'user id is malformed', { reason: 'invalid_user_id' });
      const existing = await pool.maybeOne(sql.type(addressRow)`
        select user_id, derivation_index, address_base58, address_hex from deposit_address where user_id = ${userId}`);
      if (existing) return toAddress(existing);
      return pool.transaction(async (connection) => {
        // The counter row is locked until commit: indexes are handed out one at a time per account.
        const { index } = await connection.one(sql.type(indexRow)`
          insert into deposit_address_counter (chain_account, next_index) values (${account}, 1)
          on conflict (chain_account) do update set next_index = deposit_address_counter.next_index + 1
          returning next_index - 1 as index`);
        const address = deriveAddressFromXpub(xpub, index);
        const inserted = await connection.maybeOne(sql.type(addressRow)`
          insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
          values (${userId}, ${account}, ${index}, ${address.base58}, ${address.hex41})
          on conflict (user_id) do nothing
          returning user_id, derivation_index, address_base58, address_hex`);
        if (inserted) return toAddress(inserted);
        // A concurrent request for the same user won; its address stands (the index handed out here stays unused).
        return toAddress(
          await connection.one(sql.type(addressRow)`
            select user_id, derivation_index, address_base58, address_hex from deposit_address where user_id = ${userId}`),
        );
      });
    },
  };
}

export type DepositAddressService = ReturnType<typeof createDepositAddressService>;
