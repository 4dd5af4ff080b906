// Proves the sandbox's reports (API.md: list cards, loads and transactions with Lithic's paging, the program
// balance) through the production HTTP adapter: every item comes exactly once across pages, `has_more` ends the walk,
// an unknown `starting_after` is refused, and the program balance is what cards spent net with open holds pending,
// untouched by loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardProviderError, createHttpCardProvider } from '@cardgate/card-provider';
import { moneyFromMinor, USD } from '@cardgate/money';
import { startCardSandbox } from './sandbox.ts';
import { developmentApiKey, developmentWebhookSecret } from './development-keys.ts';

let running: Awaited<ReturnType<typeof startCardSandbox>>;
const provider = () =>
  createHttpCardProvider({
    baseUrl: running.url,
    apiKey: developmentApiKey,
    timeoutMs: 2_000,
    attemptsMax: 1,
  });

beforeAll(async () => {
  running = await startCardSandbox({
    port: 0,
    apiKey: developmentApiKey,
    webhookSecret: developmentWebhookSecret,
  });
});
afterAll(async () => {
  await running?.close();
});

async function simulate(path: string, body: unknown): Promise<{ token: string; result: string }> {
  const response = await fetch(`${running.url}/v1/simulate/${path}`, {
    method: 'POST',
    headers: { authorization: developmentApiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { token: string; result: string };
}

describe('the sandbox reports', () => {
  it('lists every card, load and transaction once across pages and reports the program balance', async () => {
    const client = provider();
    const cards = [];
    for (let index = 0; index < 5; index += 1)
      cards.push(await client.createCard({ idempotencyKey: `card-${index}` }));
    for (const [index, card] of cards.entries())
      await client.loadCard({
        cardToken: card.token,
        amount: moneyFromMinor(10_000n, USD),
        idempotencyKey: `load:${index}`,
      });
    const auth = await simulate('authorize', {
      card_token: cards[0]!.token,
      amount: '2500',
      descriptor: 'SHOP',
    });
    await simulate('clearing', { token: auth.token, amount: '2000' });
    await simulate('return', { card_token: cards[1]!.token, amount: '300', descriptor: 'REFUND' });
    await simulate('authorize', { card_token: cards[2]!.token, amount: '700', descriptor: 'HOTEL' });

    const walk = async <T extends { token: string }>(
      list: (request: {
        pageSize: number;
        startingAfter?: string;
      }) => Promise<{ items: readonly T[]; hasMore: boolean }>,
    ): Promise<string[]> => {
      const tokens: string[] = [];
      let startingAfter: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const answer = await list({ pageSize: 2, ...(startingAfter ? { startingAfter } : {}) });
        tokens.push(...answer.items.map((item) => item.token));
        if (!answer.hasMore) return tokens;
        startingAfter = answer.items.at(-1)!.token;
      }
      throw new Error('more pages than items');
    };
    expect(await walk((request) => client.listCards(request))).toEqual(cards.map((card) => card.token));
    const loads = await walk((request) => client.listLoads(request));
    expect(loads).toHaveLength(5);
    expect(new Set(loads).size).toBe(5);
    const transactions = await client.listAllTransactions({ pageSize: 10 });
    expect(transactions.hasMore).toBe(false);
    expect(
      transactions.items.map((txn) => [txn.cardToken, txn.settledAmount.minor, txn.pendingAmount.minor]),
    ).toEqual([
      [cards[0]!.token, 2_000n, 500n],
      [cards[1]!.token, -300n, 0n],
      [cards[2]!.token, 0n, 700n],
    ]);
    expect(transactions.items.every((txn) => txn.lastEventAt !== null)).toBe(true);

    // Spent net: 2,000 debited less 300 returned; held: 500 + 700. The 50,000 loaded does not count.
    const balance = await client.programBalance();
    expect([balance.total.minor, balance.pending.minor, balance.available.minor]).toEqual([
      -1_700n,
      1_200n,
      -2_900n,
    ]);

    await expect(client.listCards({ pageSize: 2, startingAfter: 'card_unknown' })).rejects.toBeInstanceOf(
      CardProviderError,
    );
  });
});
