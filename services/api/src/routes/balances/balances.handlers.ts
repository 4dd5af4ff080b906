import type { RouteHandler } from '@hono/zod-openapi';
import type { AccountBalance, UserBalancesReader } from '@cardgate/user-balances';
import { cardStateName } from '../../lib/card-state.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import type { getBalances } from './balances.routes.ts';

const amountsOf = (balance: AccountBalance) => ({
  posted: money(balance.posted),
  pending: money(balance.pending),
  available: money(balance.available),
});

export function balancesHandlers(balances: UserBalancesReader) {
  const getBalancesHandler: RouteHandler<typeof getBalances, AppEnv> = async (c) => {
    const read = await balances.ofUser(c.get('user').id);
    return c.json(
      {
        wallet: amountsOf(read.wallet),
        cards: read.cards.map((card) => ({
          cardId: card.cardId,
          state: cardStateName(card.state, card.cardId),
          autoLoad: card.autoLoad,
          ...amountsOf(card),
        })),
      },
      200,
    );
  };
  return { getBalances: getBalancesHandler };
}
