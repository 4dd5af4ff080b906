// Proves the deposit-address store on the real PostgreSQL: one address per user, the same on every request, distinct
// indexes and addresses across users even when many are assigned at once, each address the xpub derivation of its
// stored index; the owner is found by base58 or hex form (and nobody for an unknown address); the address book pages
// in id order without gaps or repeats; imports are stored as given and bounded per statement.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { accountExtendedPublicKey, deriveAddressFromXpub } from '@cardgate/tron';
import {
  createDepositAddressService,
  createDepositAddressStore,
  depositAddressRowsMax,
  type DepositAddressEntry,
} from './deposit-address-store.ts';

const database = useTestDatabase();
const mnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const xpub = accountExtendedPublicKey(mnemonic, 0);
// Each test assigns on an account of its own: one xpub per account, so no address repeats across them.
const xpubOf = (account: number) => accountExtendedPublicKey(mnemonic, account);

describe('deposit addresses', () => {
  it('gives each user one stable address and never shares an index', async () => {
    const service = createDepositAddressService({ pool: database.pool, xpub, account: 0 });
    const users = Array.from({ length: 30 }, (_, index) => `user-${index}`);
    const first = await Promise.all([...users, ...users].map((user) => service.assign(user)));
    const byUser = new Map(first.map((address) => [address.userId, address]));
    expect(byUser.size).toBe(30);
    for (const address of first) expect(address).toEqual(byUser.get(address.userId));
    const indexes = new Set([...byUser.values()].map((address) => address.derivationIndex));
    expect(indexes.size).toBe(30);
    for (const address of byUser.values())
      expect(address.base58).toBe(deriveAddressFromXpub(xpub, address.derivationIndex).base58);
    expect((await service.assign('user-3')).base58).toBe(byUser.get('user-3')!.base58);
  });

  it('refuses a malformed user id', async () => {
    const service = createDepositAddressService({ pool: database.pool, xpub, account: 0 });
    await expect(service.assign('bad id; drop table')).rejects.toThrow(/malformed/);
  });

  it('finds the owner of an address by either form, and nobody for an unknown one', async () => {
    const service = createDepositAddressService({ pool: database.pool, xpub: xpubOf(1), account: 1 });
    const store = createDepositAddressStore(database.pool);
    const address = await service.assign('owner-1');
    expect(await store.findOwner(address.base58)).toBe('owner-1');
    expect(await store.findOwner(address.hex41)).toBe('owner-1');
    const unknown = deriveAddressFromXpub(xpubOf(1), 9_999);
    expect(await store.findOwner(unknown.base58)).toBeNull();
    expect(await store.findOwner(unknown.hex41)).toBeNull();
  });

  it('pages through every address in id order, imported ones included, within its bound', async () => {
    const service = createDepositAddressService({ pool: database.pool, xpub: xpubOf(2), account: 2 });
    const store = createDepositAddressStore(database.pool);
    const assigned = await Promise.all(['page-a', 'page-b', 'page-c'].map((user) => service.assign(user)));
    const imported = Array.from({ length: 5 }, (_, index) => {
      const derived = deriveAddressFromXpub(xpubOf(3), 1_000 + index);
      return {
        userId: `import-${index}`,
        chainAccount: 3,
        derivationIndex: 1_000 + index,
        base58: derived.base58,
        hex41: derived.hex41,
      };
    });
    expect(await store.importAddresses(imported)).toBe(5);
    await expect(store.importAddresses(imported.slice(0, 1))).rejects.toThrow(); // unique per address and user
    const seen: DepositAddressEntry[] = [];
    let afterId = 0n;
    for (let page = 0; page < 100; page += 1) {
      const rows = await store.pageAfter(afterId, 3);
      seen.push(...rows);
      if (rows.length < 3) break;
      afterId = rows[rows.length - 1]!.id;
    }
    const ids = seen.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
    const pagedHex = new Set(seen.map((entry) => entry.hex41));
    for (const address of [...assigned, ...imported]) expect(pagedHex.has(address.hex41)).toBe(true);
    expect(await store.findOwner(imported[2]!.base58)).toBe('import-2');
    await expect(store.pageAfter(0n, depositAddressRowsMax + 1)).rejects.toThrow(/at most/);
  });
});
