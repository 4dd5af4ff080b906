import type { RouteHandler } from '@hono/zod-openapi';
import type { DepositAddressStore } from '@cardgate/deposit-addresses';
import type { DepositReads } from '@cardgate/deposit-store';
import { depositTransferIds } from '@cardgate/domain';
import type { LedgerReads } from '@cardgate/ledger';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { encodeDepositCursor } from './deposits.cursor.ts';
import { depositViewOf } from './deposit-state.ts';
import type { listDeposits } from './deposits.routes.ts';

export interface DepositsDependencies {
  readonly addresses: Pick<DepositAddressStore, 'addressOf'>;
  readonly deposits: DepositReads;
  readonly ledger: Pick<LedgerReads, 'transfersByIds'>;
  readonly confirmationsNeeded: number;
}

export function depositsHandlers(dependencies: DepositsDependencies) {
  const listDepositsHandler: RouteHandler<typeof listDeposits, AppEnv> = async (c) => {
    const query = c.req.valid('query');
    // Only deposits to the caller's own address are read: another user's deposit cannot appear.
    const address = await dependencies.addresses.addressOf(c.get('user').id);
    if (!address) return c.json({ items: [], nextCursor: null }, 200);
    const page = await dependencies.deposits.toAddress(address.base58, {
      limit: query.limit,
      ...(query.cursor ? { before: query.cursor } : {}),
    });
    const ids = page.deposits.flatMap((deposit) =>
      Object.values(depositTransferIds(deposit.txId, deposit.logIndex)),
    );
    const transfers = new Map(
      (await dependencies.ledger.transfersByIds(ids)).map((transfer) => [transfer.id, transfer]),
    );
    const items = page.deposits.map((deposit) => {
      const view = depositViewOf(deposit, transfers, dependencies.confirmationsNeeded);
      return {
        id: `${deposit.txId}:${deposit.logIndex}`,
        txId: deposit.txId,
        logIndex: deposit.logIndex,
        state: view.state,
        confirmations: view.confirmations,
        amount: money(view.gross),
        fee: view.fee ? money(view.fee) : null,
        net: view.net ? money(view.net) : null,
        from: deposit.from,
        blockNumber: deposit.blockNumber.toString(),
        seenAt: deposit.seenAt.toISOString(),
        finalAt: deposit.finalAt?.toISOString() ?? null,
        creditedAt: view.creditedAt?.toISOString() ?? null,
      };
    });
    return c.json({ items, nextCursor: page.next ? encodeDepositCursor(page.next) : null }, 200);
  };
  return { listDeposits: listDepositsHandler };
}
