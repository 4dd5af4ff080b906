// The deposit event's one schema: the deposit store's SQL builds it (packages/deposit-store, tested against
// PostgreSQL), the outbox dispatcher checks every row with it, and the deposit workflow receives what it accepted.
// Deterministic (zod and the money package, no I/O), so a workflow may parse with it too; the package index leaves it
// out only to keep zod out of workflow bundles that need just the type (deposit.ts).
import { z } from 'zod';
import { assetByCode, MoneyError, parseMinorUnits, type Money } from '@cardgate/money';
import { depositEventKinds } from './deposit.ts';

/** A PostgreSQL int8 that is never negative, as decimal text (JSON numbers lose precision above 2^53). */
const int8Text = z.string().regex(/^(0|[1-9][0-9]{0,18})$/);

/**
 * A change of a deposit's state on chain, as the watcher committed it: the one definition of the event the watcher's
 * SQL builds, its outbox dispatcher checks, and the deposit workflow receives as a signal (recorded histories carry
 * it, so a field is never renamed or retyped). Strict: a field the SQL adds without adding it here is refused.
 */
export const depositEventSchema = z
  .strictObject({
    txId: z.string().regex(/^[0-9a-f]{64}$/),
    logIndex: z.number().int().min(0),
    chain: z.string().min(1),
    /** Base58 address of the token contract. */
    tokenContract: z.string().min(1),
    /** Asset code of the money package (USDT). */
    asset: z.string().regex(/^[A-Z][A-Z0-9]{1,11}$/),
    from: z.string().min(1),
    to: z.string().min(1),
    /** Decimal string of integer minor units; positive and within the asset's bound (checked below). */
    amountMinor: z.string(),
    blockNumber: int8Text,
    blockHash: z.string().min(1),
    blockTimestampMs: int8Text,
    event: z.enum(depositEventKinds),
    /** Increases with every change of this deposit; repeats and stale events carry a sequence already seen. */
    sequence: z.number().int().min(1),
  })
  .superRefine((event, context) => {
    try {
      depositEventAmount(event);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      context.addIssue({ code: 'custom', path: ['amountMinor'], message: error.message });
    }
  });

/** The deposit's amount as Money: the asset the event names, its minor units parsed strictly. */
export function depositEventAmount(event: { readonly asset: string; readonly amountMinor: string }): Money {
  return parseMinorUnits(event.amountMinor, assetByCode(event.asset));
}
