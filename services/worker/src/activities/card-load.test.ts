// Proves a card load books the quote it was made with: the load stores its whole quote (rate, spread, fee, gross and
// net, time, config version) when it is made, and when the FX spread changes between the load's pending step and its
// post (a worker restarted with new prices, the step retried), the ledger books the quoted spread and net, not ones
// recomputed from the configuration of the moment.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCardStore } from '@cardgate/card-store';
import { createLogger } from '@cardgate/config';
import { sql } from '@cardgate/db';
import { recordedActivityTypes } from '@cardgate/contracts';
import { chart, fxConfigVersion } from '@cardgate/domain';
import { createAccountResolver, createLedger } from '@cardgate/ledger';
import { createLoadLimits } from '@cardgate/load-limits';
import { useTestDatabase } from '@cardgate/test-harness';
import { fundWallet, testMoneySettings, unconfiguredProvider } from '../testing.ts';
import { createCardLoadActivities } from './card-load.ts';

const database = useTestDatabase();
const quoteRow = z.object({
  amount_usd_minor: z.bigint(),
  gross_usd_minor: z.bigint(),
  spread_usd_minor: z.bigint(),
  fee_usd_minor: z.bigint(),
  spread_basis_points: z.number(),
  rate: z.string(),
  quote_config_version: z.string(),
  quoted_at: z.string(),
});

describe('a card load and its stored quote', () => {
  it('posts the quoted spread and net after the spread changed between the pending step and the post', async () => {
    const ledger = createLedger({ pool: database.pool });
    const store = createCardStore(database.pool);
    const logger = createLogger({ service: 'card-load-test', level: 'silent' });
    const activitiesAt = (spreadBasisPoints: bigint, now: Date) =>
      createCardLoadActivities({
        store,
        ledger,
        accountIds: createAccountResolver(ledger),
        provider: unconfiguredProvider,
        fx: { usdtUsdRate: '0.9995', spreadBasisPoints },
        limits: createLoadLimits({ store, ledger, limits: testMoneySettings.limits }),
        // This test makes loads within the limits: nothing to tell.
        notify: () => Promise.reject(new Error('no notification expected')),
        logger,
        now: () => now,
      });
    const userId = `q-${randomUUID().slice(0, 8)}`;
    const cardId = `crd_q${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await fundWallet(ledger, userId, '100');
    const [cardAccount] = await ledger.createAccounts([chart.card(cardId, userId)]);
    await database.pool.query(sql.type(z.object({}))`
      insert into card (id, user_id, provider_token, state, ledger_account_id)
      values (${cardId}, ${userId}, ${`tok_${cardId}`}, 'OPEN', ${cardAccount!.id})`);
    const loadId = `quote-${randomUUID()}`;
    const input = { loadId, userId, cardId, amountUsdtMinor: '50000000' };

    // Quoted at 1.5%: 50 USDT × 0.9995 = 49.97 USD gross, spread 0.75, net 49.22.
    const quotedAt = new Date('2026-12-01T10:00:00.000Z');
    const quoted = await activitiesAt(150n, quotedAt)[recordedActivityTypes.placeCardLoadPending](input);
    expect(quoted).toEqual({ usdMinor: '4922', spreadMinor: '75', rate: '0.9995' });
    const stored = await database.pool.one(sql.type(quoteRow)`
      select amount_usd_minor, gross_usd_minor, spread_usd_minor, fee_usd_minor, spread_basis_points, rate,
        quote_config_version, to_char(quoted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as quoted_at
      from card_load where id = ${loadId}`);
    expect(stored).toEqual({
      amount_usd_minor: 4_922n,
      gross_usd_minor: 4_997n,
      spread_usd_minor: 75n,
      fee_usd_minor: 0n,
      spread_basis_points: 150,
      rate: '0.9995',
      quote_config_version: fxConfigVersion({ usdtUsdRate: '0.9995', spreadBasisPoints: 150n }),
      quoted_at: quotedAt.toISOString(),
    });

    // The spread goes to 3% before the post; the pending step runs again (a retry) and the post follows.
    const repriced = activitiesAt(300n, new Date('2026-12-01T11:00:00.000Z'));
    expect(await repriced[recordedActivityTypes.placeCardLoadPending](input)).toEqual(quoted);
    await repriced.postCardLoad({ loadId, providerLoadToken: 'load_tok_1' });

    const spread = await ledger.accountByCode(chart.fxSpread.code);
    const card = await ledger.accountByCode(chart.card(cardId, userId).code);
    expect(card!.creditsPosted).toBe(4_922n);
    // The spread account is shared with other tests in this database: this load's spread transfer says it all.
    const spreadTransfer = await ledger.transferById(`load:${loadId}:spread`);
    expect(spreadTransfer?.amountMinor).toBe(75n);
    expect(spread!.creditsPosted).toBeGreaterThanOrEqual(75n);
    const loaded = await store.loads.byId(loadId);
    expect(loaded.status).toBe('loaded');
    expect(loaded.quote?.spread.minor).toBe(75n);
  });
});
