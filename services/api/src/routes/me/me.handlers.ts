import type { RouteHandler } from '@hono/zod-openapi';
import type { V1Context } from '../../lib/dependencies.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import type { getMe } from './me.routes.ts';

export function meHandlers(context: V1Context) {
  const { prices, limits } = context.settings;
  const getMeHandler: RouteHandler<typeof getMe, AppEnv> = (c) => {
    const user = c.get('user');
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
