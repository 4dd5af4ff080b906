import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createCardStore } from '@cardgate/card-store';
import {
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  cardStateWorkflowId,
  cardStateWorkflowType,
  type CardIssueWorkflow,
  type CardStateWorkflow,
  type RequestedCardState,
} from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';
import { derivedId } from '@cardgate/ids';
import { compare } from '@cardgate/money';
import { z } from '@hono/zod-openapi';
import type { V1Context } from '../../lib/dependencies.ts';
import type { AppEnv } from '../../lib/types.ts';
import { callerScope } from '../../middleware/idempotency/idempotency.ts';
import { ledgerOf, walletAvailableOf } from './card-ledger.ts';
import { createCardLoading, insufficientFunds } from './card-loading.ts';
import {
  cardLoadView,
  cardTransactionView,
  cardView,
  cursorTime,
  decodeCursor,
  encodeCursor,
} from './card-views.ts';
import type {
  freezeCard,
  getCard,
  issueCard,
  listCards,
  listCardTransactions,
  loadCard,
  updateCard,
} from './cards.routes.ts';
import { createLoadLimits } from '@cardgate/load-limits';

const cardCursor = z.object({ c: cursorTime, i: z.string().max(100) });
const eventCursor = z.object({ r: cursorTime, e: z.string().max(200) });

const cardNotFound = (cardId: string) =>
  new AppError('not_found', `card ${cardId} does not exist`, { reason: 'card_not_found' });

/**
 * What an idempotent handler answers: a Response the idempotency layer built (a replay is stored text, not a typed
 * `c.json`), so it cannot carry the route's response type; the route's schema still documents it, and the tests
 * check the bodies.
 */
export function idempotentResponse(response: Promise<Response>): never {
  return response as never;
}

/** Starts a workflow once: a repeat of the request finds it running or done (REJECT_DUPLICATE). */
async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export function cardsHandlers(context: V1Context) {
  const store = createCardStore(context.pool);
  const ledger = ledgerOf(context.pool, context.ledgerObserver);
  const limits = createLoadLimits({ store, ledger, limits: context.settings.limits });
  const loading = createCardLoading({
    store,
    ledger,
    limits,
    temporal: context.temporal,
    now: context.now,
    afterResponse: context.afterResponse,
  });
  const { client, taskQueue } = context.temporal;
  const issueFee = context.settings.prices.cardIssueFee;

  const issue: RouteHandler<typeof issueCard, AppEnv> = (c) =>
    idempotentResponse(
      context.idempotent(c, async (key) => {
        const user = c.get('user');
        const autoLoad = (c.req.valid('json') as { autoLoad?: boolean } | undefined)?.autoLoad ?? false;
        // Derived from the key: a request taken over after a crash finds the card its first run recorded.
        const cardId = derivedId('crd', callerScope(c), key);
        let card = await store.cards.byId(cardId);
        if (!card) {
          // A quick answer for a wallet that cannot pay the fee; the workflow's pending fee is the real check.
          if (compare(await walletAvailableOf(ledger, user.id), issueFee) < 0) throw insufficientFunds();
          card = await store.cards.beginIssue({ cardId, userId: user.id });
        }
        await startOnce(() =>
          client.workflow.start<CardIssueWorkflow>(cardIssueWorkflowType, {
            workflowId: cardIssueWorkflowId(cardId),
            taskQueue,
            args: [{ cardId, userId: user.id, autoLoad }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        );
        return { status: 202, body: await cardView(ledger, card) };
      }),
    );

  const list: RouteHandler<typeof listCards, AppEnv> = async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const after = decodeCursor(cursor, cardCursor);
    const cards = await store.cards.listOfUser(c.get('user').id, {
      limit,
      ...(after ? { after: { createdAt: after.c, id: after.i } } : {}),
    });
    const last = cards[cards.length - 1];
    return c.json(
      {
        items: await Promise.all(cards.map((card) => cardView(ledger, card))),
        nextCursor: cards.length === limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
      },
      200,
    );
  };

  const get: RouteHandler<typeof getCard, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const card = await store.cards.ofUser(c.get('user').id, id);
    if (!card) throw cardNotFound(id);
    return c.json(await cardView(ledger, card), 200);
  };

  function changeState(state: RequestedCardState): RouteHandler<typeof freezeCard, AppEnv> {
    return (c) =>
      idempotentResponse(
        context.idempotent(c, async (key) => {
          const user = c.get('user');
          const { id } = c.req.valid('param');
          const card = await store.cards.requestState({ userId: user.id, cardId: id, state });
          if (!card) throw cardNotFound(id);
          await startOnce(() =>
            client.workflow.start<CardStateWorkflow>(cardStateWorkflowType, {
              workflowId: cardStateWorkflowId(id, derivedId('req', callerScope(c), key)),
              taskQueue,
              args: [{ cardId: id, userId: user.id, state }],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            }),
          );
          return { status: 202, body: await cardView(ledger, card) };
        }),
      );
  }

  const update: RouteHandler<typeof updateCard, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const { autoLoad } = c.req.valid('json');
    const card = await store.cards.setAutoLoad({ userId: c.get('user').id, cardId: id, autoLoad });
    if (!card) throw cardNotFound(id);
    return c.json(await cardView(ledger, card), 200);
  };

  const transactions: RouteHandler<typeof listCardTransactions, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const after = decodeCursor(cursor, eventCursor);
    const card = await store.cards.ofUser(c.get('user').id, id);
    if (!card) throw cardNotFound(id);
    if (!card.providerToken) return c.json({ items: [], nextCursor: null }, 200);
    const page = await store.events.ofCard(card.providerToken, {
      limit,
      ...(after ? { after: { receivedAt: after.r, eventId: after.e } } : {}),
    });
    return c.json(
      {
        items: page.events.map(cardTransactionView),
        nextCursor: page.next ? encodeCursor({ r: page.next.receivedAt, e: page.next.eventId }) : null,
      },
      200,
    );
  };

  const load: RouteHandler<typeof loadCard, AppEnv> = (c) =>
    idempotentResponse(
      context.idempotent(c, async (key) => {
        const { id } = c.req.valid('param');
        const { quoteId } = c.req.valid('json');
        const made = await loading.load(
          { userId: c.get('user').id, cardId: id, quoteId, idempotencyKey: key },
          c.get('logger'),
        );
        return { status: 202, body: cardLoadView(made) };
      }),
    );

  return {
    issue,
    list,
    get,
    freeze: changeState('PAUSED'),
    unfreeze: changeState('OPEN'),
    update,
    transactions,
    load,
  };
}
