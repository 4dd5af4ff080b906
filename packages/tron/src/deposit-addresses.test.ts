// Proves deposit-address assignment on the real PostgreSQL: one address per user, the same on every request, distinct
// indexes and addresses across users even when many are assigned at once, and each address is the xpub derivation
// of its stored index.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { accountExtendedPublicKey, deriveAddressFromXpub } from './hd.ts';
import { createDepositAddressService } from './deposit-addresses.ts';

const database = useTestDatabase();
const xpub = accountExtendedPublicKey(
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  0,
);

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
});
