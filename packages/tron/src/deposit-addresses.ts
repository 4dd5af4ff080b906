// Assigns each user one deposit address, derived watch-only from the account xpub. Idempotent per user: asking again
// returns the same address; two concurrent first requests for one user create one row.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { z } from 'zod';
import { deriveAddressFromXpub } from './hd.ts';

export interface DepositAddress {
  readonly userId: string;
  readonly derivationIndex: number;
  readonly base58: string;
  readonly hex41: string;
}

const addressRow = z.object({
  user_id: z.string(),
  derivation_index: z.number(),
  address_base58: z.string(),
  address_hex: z.string(),
});
const indexRow = z.object({ index: z.number() });
const userIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface DepositAddressServiceOptions {
  readonly pool: DatabasePool;
  /** Account-level extended public key for m/44'/195'/<account>'. */
  readonly xpub: string;
  readonly account: number;
}

export function createDepositAddressService(options: DepositAddressServiceOptions) {
  const { pool, xpub, account } = options;
  const toAddress = (row: z.infer<typeof addressRow>): DepositAddress => ({
    userId: row.user_id,
    derivationIndex: row.derivation_index,
    base58: row.address_base58,
    hex41: row.address_hex,
  });

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
