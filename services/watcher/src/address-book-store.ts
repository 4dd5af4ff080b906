// The address book's source: deposit addresses in id order from PostgreSQL.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';
import type { AddressBookSource } from './address-book.ts';

const row = z.object({ id: z.bigint(), address_base58: z.string(), address_hex: z.string() });

export function createDepositAddressSource(pool: DatabasePool): AddressBookSource {
  return {
    async loadAfter(afterId, limit) {
      const rows = await pool.any(sql.type(row)`
        select id, address_base58, address_hex from deposit_address where id > ${afterId} order by id limit ${limit}`);
      return rows.map((item) => ({
        id: item.id,
        address: item.address_base58,
        hex20: item.address_hex.slice(2),
      }));
    },
  };
}
