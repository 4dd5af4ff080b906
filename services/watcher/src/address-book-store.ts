// The address book's source: deposit addresses in id order, read through their owning module.
import type { DatabasePool } from '@cardgate/db';
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import type { AddressBookSource } from './address-book.ts';

export function createDepositAddressSource(pool: DatabasePool): AddressBookSource {
  const store = createDepositAddressStore(pool);
  return {
    async loadAfter(afterId, limit) {
      const entries = await store.pageAfter(afterId, limit);
      return entries.map((entry) => ({ id: entry.id, address: entry.base58, hex20: entry.hex41.slice(2) }));
    },
  };
}
