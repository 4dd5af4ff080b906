import type { RouteHandler } from '@hono/zod-openapi';
import { createCardStore } from '@cardgate/card-store';
import { quoteCardLoad } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { randomId } from '@cardgate/ids';
import type { V1Context } from '../../lib/dependencies.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { ledgerOf } from '../cards/card-ledger.ts';
import { createLoadLimits } from '@cardgate/load-limits';
import type { createQuote } from './quotes.routes.ts';

export function quotesHandlers(context: V1Context) {
  const store = createCardStore(context.pool);
  const limits = createLoadLimits({
    store,
    ledger: ledgerOf(context.pool, context.ledgerObserver),
    limits: context.settings.limits,
  });
  const { fx } = context.settings.prices;

  const create: RouteHandler<typeof createQuote, AppEnv> = async (c) => {
    const user = c.get('user');
    const { cardId, amount } = c.req.valid('json');
    const card = await store.cards.ofUser(user.id, cardId);
    if (!card) throw new AppError('not_found', `card ${cardId} does not exist`, { reason: 'card_not_found' });
    if (card.state !== 'OPEN' && card.state !== 'PAUSED')
      throw new AppError('conflict', `card ${cardId} is ${card.state}: it cannot be loaded`, {
        reason: 'card_not_open',
      });
    const now = context.now();
    const quote = quoteCardLoad(amount, fx, now);
    if (quote.net.minor <= 0n)
      throw new AppError('rule_violation', 'the amount is too small to load', { reason: 'amount_too_small' });
    await limits.checkQuote({ userId: user.id, cardId, net: quote.net, now });
    const stored = await store.quotes.create({
      quoteId: randomId('qt'),
      userId: user.id,
      cardId,
      quote,
      expiresAt: new Date(now.getTime() + context.settings.quoteLifetimeMs),
    });
    return c.json(
      {
        id: stored.quoteId,
        cardId: stored.cardId,
        amount: money(stored.quote.amount),
        rate: stored.quote.rate,
        spreadBasisPoints: stored.quote.spreadBasisPoints.toString(),
        gross: money(stored.quote.gross),
        spread: money(stored.quote.spread),
        fee: money(stored.quote.fee),
        received: money(stored.quote.net),
        quotedAt: stored.quote.quotedAt.toISOString(),
        expiresAt: stored.expiresAt.toISOString(),
      },
      201,
    );
  };
  return { create };
}
