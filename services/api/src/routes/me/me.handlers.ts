import type { RouteHandler } from '@hono/zod-openapi';
import { createCardStore } from '@cardgate/card-store';
import type { V1Context } from '../../lib/dependencies.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { ledgerOf } from '../cards/card-ledger.ts';
import { createLoadLimits } from '@cardgate/load-limits';
import type { getMe } from './me.routes.ts';

export function meHandlers(context: V1Context) {
  const { prices, limits } = context.settings;
  const loadLimits = createLoadLimits({
    store: createCardStore(context.pool),
    ledger: ledgerOf(context.pool, context.ledgerObserver),
    limits,
  });
  const getMeHandler: RouteHandler<typeof getMe, AppEnv> = async (c) => {
    const user = c.get('user');
    const remaining = await loadLimits.remaining(user.id, context.now());
    return c.json(
      {
        user: {
          id: user.id,
          telegramUserId: String(user.telegramUserId),
          firstName: user.firstName,
          lastName: user.lastName,
          username: user.username,
          languageCode: user.languageCode,
        },
        limits: {
          perLoad: money(limits.perLoad),
          perDay: money(limits.perDay),
          perMonth: money(limits.perMonth),
          cardBalanceMax: money(limits.cardBalanceMax),
          remaining: {
            perLoad: money(remaining.perLoad),
            perDay: money(remaining.perDay),
            perMonth: money(remaining.perMonth),
          },
        },
        prices: {
          depositFeeFixed: money(prices.deposit.feeFixed),
          depositFeeBasisPoints: prices.deposit.feeBasisPoints.toString(),
          depositMinimum: money(prices.deposit.reviewBelow),
          cardIssueFee: money(prices.cardIssueFee),
          usdtUsdRate: prices.fx.usdtUsdRate,
          fxSpreadBasisPoints: prices.fx.spreadBasisPoints.toString(),
        },
      },
      200,
    );
  };
  return { getMe: getMeHandler };
}
