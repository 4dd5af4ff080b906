// The user event: what the API streams to a signed-in user (GET /v1/events) as it happens. The worker, the watcher and
// the API build and read it with this one schema; the Mini App reads it too. Amounts are decimal strings with their
// asset (`{ amount: "25.500000", asset: "USDT" }`), never JSON numbers. Reached as `@cardgate/contracts/user-event`,
// not from the package index, so workflow bundles stay free of zod (see deposit.ts).
//
// `key` names the fact, not the delivery: a retried activity may publish the same fact twice (an activity runs at least
// once), so a client ignores an event whose key it has already seen. Events are additive: a new kind or field is
// added, never renamed or retyped.
import { z } from 'zod';
import { assetByCode, MoneyError, moneyToJson, parseMoney, type Money } from '@cardgate/money';

/** `{ amount, asset }` with the amount a decimal string in the asset's scale; a JSON number is refused. */
export const userEventMoneySchema = z
  .strictObject({
    amount: z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/),
    asset: z.string().regex(/^[A-Z][A-Z0-9]{1,11}$/),
  })
  .superRefine((value, context) => {
    try {
      parseMoney(value.amount, assetByCode(value.asset), { allowZero: true });
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      context.addIssue({ code: 'custom', path: ['amount'], message: error.message });
    }
  });

export type UserEventMoney = z.infer<typeof userEventMoneySchema>;

/** The JSON form of an amount in a user event. */
export function userEventMoney(money: Money): UserEventMoney {
  return moneyToJson(money);
}

const deposit = { txId: z.string().regex(/^[0-9a-f]{64}$/), logIndex: z.number().int().min(0) };
const cardId = z.string().min(1).max(128);
const key = z.string().min(1).max(300);

export const userEventKinds = [
  'deposit.seen',
  'deposit.confirmations',
  'deposit.orphaned',
  'deposit.credited',
  'deposit.held',
  'card.issued',
  'card.loaded',
  'card.load_failed',
  'card.transaction',
] as const;

export type UserEventKind = (typeof userEventKinds)[number];

export const userEventSchema = z.discriminatedUnion('kind', [
  /** The deposit is in a block; not final yet. */
  z.strictObject({
    key,
    kind: z.literal('deposit.seen'),
    data: z.strictObject({ ...deposit, amount: userEventMoneySchema }),
  }),
  /** The chain moved on; `confirmations` counts the deposit's block and those after it. Superseded by the next. */
  z.strictObject({
    key,
    kind: z.literal('deposit.confirmations'),
    data: z.strictObject({
      ...deposit,
      confirmations: z.number().int().min(0),
      confirmationsNeeded: z.number().int().min(1),
    }),
  }),
  /** The deposit's block left the chain (a reorg); it may come back in a later block (seen again). */
  z.strictObject({ key, kind: z.literal('deposit.orphaned'), data: z.strictObject(deposit) }),
  z.strictObject({
    key,
    kind: z.literal('deposit.credited'),
    data: z.strictObject({
      ...deposit,
      gross: userEventMoneySchema,
      fee: userEventMoneySchema,
      net: userEventMoneySchema,
    }),
  }),
  /** Below the review minimum: kept pending until an operator decides. */
  z.strictObject({
    key,
    kind: z.literal('deposit.held'),
    data: z.strictObject({ ...deposit, amount: userEventMoneySchema }),
  }),
  z.strictObject({
    key,
    kind: z.literal('card.issued'),
    data: z.strictObject({ cardId, lastFour: z.string().regex(/^[0-9]{4}$/) }),
  }),
  z.strictObject({
    key,
    kind: z.literal('card.loaded'),
    data: z.strictObject({ cardId, amount: userEventMoneySchema }),
  }),
  z.strictObject({
    key,
    kind: z.literal('card.load_failed'),
    data: z.strictObject({ cardId, reason: z.string().min(1).max(200) }),
  }),
  /** What the ledger holds for a card transaction after its latest event was applied. */
  z.strictObject({
    key,
    kind: z.literal('card.transaction'),
    data: z.strictObject({
      cardId,
      transactionId: z.string().min(1).max(128),
      pending: userEventMoneySchema,
      debited: userEventMoneySchema,
      credited: userEventMoneySchema,
      expired: z.boolean(),
    }),
  }),
]);

export type UserEvent = z.infer<typeof userEventSchema>;
