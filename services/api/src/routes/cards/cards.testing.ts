// For the card and quote route tests (no worker runs there): the signed-in user's id, USDT in their wallet as a
// deposit would put it, and an issued card as the card issue flow would leave it, written through the owners (the
// ledger and the card store), never around them.
import { randomUUID } from 'node:crypto';
import { createCardStore } from '@cardgate/card-store';
import type { DatabasePool } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { derivedId } from '@cardgate/ids';
import { parseMoney, USDT } from '@cardgate/money';
import type { ApiApp } from '../../app.ts';
import { bodyOf, tmaHeader } from '../../testing.ts';
import { ledgerOf } from './card-ledger.ts';

/** Signs in a Telegram user; `authDate` matches an app whose clock is not the machine's. */
export async function signIn(
  app: ApiApp,
  telegramId: number,
  authDate: Date = new Date(),
): Promise<{ userId: string; authorization: string }> {
  const authorization = tmaHeader({ id: telegramId }, { authDate });
  const response = await app.request('/v1/me', { headers: { authorization } });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
  const body = (await bodyOf(response)) as { user: { id: string } };
  return { userId: body.user.id, authorization };
}

export async function fundWallet(pool: DatabasePool, userId: string, usdt: string): Promise<void> {
  const ledger = ledgerOf(pool);
  const [treasury, wallet] = await ledger.createAccounts([chart.treasury, chart.wallet(userId)]);
  await ledger.transfer({
    type: 'posted',
    id: `test-funding:${userId}:${randomUUID()}`,
    code: 'deposit',
    debitAccountId: treasury!.id,
    creditAccountId: wallet!.id,
    amount: parseMoney(usdt, USDT),
  });
}

/** A card the issue flow has opened: its row, its ledger account, a provider token. */
export async function issuedCard(pool: DatabasePool, userId: string, options: { autoLoad?: boolean } = {}) {
  const store = createCardStore(pool);
  const cardId = derivedId('crd', 'test', randomUUID());
  await store.cards.beginIssue({ cardId, userId });
  const [account] = await ledgerOf(pool).createAccounts([chart.card(cardId, userId)]);
  await store.cards.open({
    cardId,
    userId,
    providerToken: `card_${randomUUID().replaceAll('-', '')}`,
    ledgerAccountId: account!.id,
    autoLoad: options.autoLoad ?? false,
  });
  await store.cards.recordLastFour({ cardId, lastFour: '4242' });
  const card = await store.cards.byId(cardId);
  if (!card?.providerToken) throw new Error('the test card did not open');
  return { cardId, providerToken: card.providerToken };
}

export function jsonRequest(
  authorization: string,
  body: unknown,
  options: { method?: string; key?: string } = {},
): RequestInit {
  return {
    method: options.method ?? 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
    },
    body: JSON.stringify(body),
  };
}
