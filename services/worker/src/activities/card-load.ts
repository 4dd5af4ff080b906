// The card load flow's activities. The USDT amount is held on the wallet first; the USD amount is fixed by a quote
// at that moment and stored with the load; the provider is called with the load's own idempotency key; the hold is
// posted (with the USD legs and the FX spread) when the provider confirms, or voided when it definitely refused.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import type { CardProvider } from '@cardgate/card-provider';
import type { Ledger, TransferRequest } from '@cardgate/ledger';
import type { Logger } from '@cardgate/config';
import { moneyFromMinor, parseMinorUnits, USD, USDT } from '@cardgate/money';
import { z } from 'zod';
import { quoteUsdtToUsd } from '../domain/fx-quote.ts';
import { chart, type AccountResolver } from './chart.ts';

export interface CardLoadActivityDependencies {
  readonly pool: DatabasePool;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly provider: CardProvider;
  readonly fx: { readonly usdtUsdRate: string; readonly spreadBasisPoints: bigint };
  readonly logger: Logger;
}

export interface CardLoadInput {
  readonly loadId: string;
  readonly userId: string;
  readonly cardId: string;
  readonly amountUsdtMinor: string;
}

export interface HeldLoad {
  readonly usdMinor: string;
  readonly spreadMinor: string;
  readonly rate: string;
}

const loadRow = z.object({
  card_id: z.string(),
  user_id: z.string(),
  amount_usdt_minor: z.bigint(),
  amount_usd_minor: z.bigint().nullable(),
  rate: z.string().nullable(),
  status: z.string(),
});
const cardRow = z.object({ provider_token: z.string().nullable(), user_id: z.string(), state: z.string() });
const noRows = z.object({});

const holdId = (loadId: string): string => `load:${loadId}`;
/** The provider idempotency key of a load: the load's id, so every attempt at one load carries the same key. */
export const providerLoadKey = (loadId: string): string => `load:${loadId}`;

export function createCardLoadActivities(dependencies: CardLoadActivityDependencies) {
  const { pool, ledger, accountIds, provider, fx, logger } = dependencies;

  async function loadOf(loadId: string) {
    const row = await pool.maybeOne(sql.type(loadRow)`
      select card_id, user_id, amount_usdt_minor, amount_usd_minor, rate, status from card_load where id = ${loadId}`);
    if (!row)
      throw new AppError('not_found', `card load ${loadId} does not exist`, { reason: 'load_not_found' });
    return row;
  }

  async function cardOf(cardId: string) {
    const card = await pool.maybeOne(
      sql.type(cardRow)`select provider_token, user_id, state from card where id = ${cardId}`,
    );
    if (!card?.provider_token)
      throw new AppError('rule_violation', `card ${cardId} is not issued`, { reason: 'card_not_issued' });
    return { ...card, providerToken: card.provider_token };
  }

  return {
    /** Holds the USDT on the wallet and fixes the quote. Refused (non-retryable) on insufficient funds. */
    async holdCardLoad(input: CardLoadInput): Promise<HeldLoad> {
      const amount = parseMinorUnits(input.amountUsdtMinor, USDT);
      const card = await cardOf(input.cardId);
      if (card.user_id !== input.userId)
        throw new AppError('forbidden', `card ${input.cardId} is not the user's`, {
          reason: 'not_card_owner',
        });
      const quote = quoteUsdtToUsd(amount, fx.usdtUsdRate, fx.spreadBasisPoints);
      if (quote.net.minor <= 0n)
        throw new AppError('rule_violation', 'the amount is too small to load', {
          reason: 'amount_too_small',
        });
      // The first quote is the one that counts: a retry reads it back instead of quoting again.
      await pool.query(sql.type(noRows)`
        insert into card_load (id, card_id, user_id, amount_usdt_minor, amount_usd_minor, rate, status)
        values (${input.loadId}, ${input.cardId}, ${input.userId}, ${amount.minor}, ${quote.net.minor}, ${quote.rate}, 'holding')
        on conflict (id) do nothing`);
      const stored = await loadOf(input.loadId);
      if (stored.amount_usdt_minor !== amount.minor || stored.card_id !== input.cardId)
        throw new AppError('conflict', `card load ${input.loadId} exists with other fields`, {
          reason: 'load_id_taken',
        });
      const [wallet, position] = await accountIds([chart.wallet(input.userId), chart.fxPositionUsdt]);
      await ledger.transfer({
        type: 'pending',
        id: holdId(input.loadId),
        code: 'card_load',
        debitAccountId: wallet!,
        creditAccountId: position!,
        amount,
        metadata: { loadId: input.loadId, cardId: input.cardId },
      });
      const net = stored.amount_usd_minor!;
      const gross = quoteUsdtToUsd(amount, stored.rate!, fx.spreadBasisPoints).gross.minor;
      return {
        usdMinor: net.toString(),
        spreadMinor: (gross > net ? gross - net : 0n).toString(),
        rate: stored.rate!,
      };
    },

    /** Loads the card at the provider with the load's key; a repeat with the same key never loads twice. */
    async loadAtProvider(input: { loadId: string }): Promise<{ providerLoadToken: string }> {
      const load = await loadOf(input.loadId);
      const card = await cardOf(load.card_id);
      await pool.query(
        sql.type(
          noRows,
        )`update card_load set status = 'loading' where id = ${input.loadId} and status = 'holding'`,
      );
      const result = await provider.loadCard({
        cardToken: card.providerToken,
        amount: moneyFromMinor(load.amount_usd_minor!, USD),
        idempotencyKey: providerLoadKey(input.loadId),
      });
      return { providerLoadToken: result.token };
    },

    /** Asks the provider whether the load with this key exists: the way out of an ambiguous outcome. */
    async findProviderLoad(input: { loadId: string }): Promise<{ providerLoadToken: string } | null> {
      const found = await provider.findLoad(providerLoadKey(input.loadId));
      return found ? { providerLoadToken: found.token } : null;
    },

    /** The provider loaded the card: post the USDT hold and put the USD on the card, the spread to revenue. */
    async postCardLoad(input: {
      loadId: string;
      providerLoadToken: string;
      spreadMinor: string;
    }): Promise<void> {
      const load = await loadOf(input.loadId);
      const [card, position, spreadAccount] = await accountIds([
        chart.card(load.card_id, load.user_id),
        chart.fxPositionUsd,
        chart.fxSpread,
      ]);
      const spread = BigInt(input.spreadMinor);
      const transfers: TransferRequest[] = [
        {
          type: 'post_pending',
          id: `${holdId(input.loadId)}:post`,
          code: 'card_load',
          pendingId: holdId(input.loadId),
        },
        {
          type: 'posted',
          id: `${holdId(input.loadId)}:usd`,
          code: 'card_load',
          debitAccountId: position!,
          creditAccountId: card!,
          amount: moneyFromMinor(load.amount_usd_minor!, USD),
          metadata: { loadId: input.loadId, providerLoadToken: input.providerLoadToken },
        },
        ...(spread > 0n
          ? [
              {
                type: 'posted',
                id: `${holdId(input.loadId)}:spread`,
                code: 'fx_spread',
                debitAccountId: position!,
                creditAccountId: spreadAccount!,
                amount: moneyFromMinor(spread, USD),
              } satisfies TransferRequest,
            ]
          : []),
      ];
      await ledger.submit(transfers);
      await pool.query(sql.type(noRows)`
        update card_load set status = 'loaded', provider_load_token = ${input.providerLoadToken},
          loaded_at = coalesce(loaded_at, now())
        where id = ${input.loadId} and status <> 'loaded'`);
      logger.info({ loadId: input.loadId, cardId: load.card_id }, 'card loaded');
    },

    /** The provider definitely did not load the card: release the USDT hold. */
    async voidCardLoad(input: { loadId: string; reason: string }): Promise<void> {
      const hold = await ledger.transferById(holdId(input.loadId));
      if (hold)
        await ledger.transfer({
          type: 'void_pending',
          id: `${holdId(input.loadId)}:void`,
          code: 'card_load',
          pendingId: holdId(input.loadId),
        });
      await pool.query(sql.type(noRows)`
        update card_load set status = 'failed', failure_reason = ${input.reason.slice(0, 200)}
        where id = ${input.loadId} and status <> 'loaded'`);
      logger.warn({ loadId: input.loadId, reason: input.reason }, 'card load voided');
    },

    /** The card a deposit continues into, when its owner set auto-load. */
    async findAutoLoadCard(input: { userId: string }): Promise<{ cardId: string } | null> {
      const cardId = await pool.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
        select id from card where user_id = ${input.userId} and auto_load and state = 'OPEN'`);
      return cardId === null ? null : { cardId };
    },
  };
}
