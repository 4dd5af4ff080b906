// Plans the ledger transfers of a card load: the USDT pending debit of the wallet when the load is made, its post with
// the USD legs (net to the card, spread to revenue) when the provider loaded the card, or its void when the provider
// definitely did not. Every amount comes from the stored quote. The transfer ids are the load's idempotency keys in
// the ledger and keep the form they were first written with (`load:<id>`, `:post`, `:usd`, `:spread`, `:void`).
import { AppError } from '@cardgate/errors';
import type { PendingTransferRequest, TransferRequest } from '@cardgate/ledger';
import type { CardLoadQuote } from './card-load-quote.ts';

/** The id of a load's USDT pending debit; the post, USD legs and void derive theirs from it. */
export const cardLoadPendingTransferId = (loadId: string): string => `load:${loadId}`;

const cardLoadCode = 'card_load';

export function planCardLoadPending(input: {
  readonly loadId: string;
  readonly cardId: string;
  readonly quote: Pick<CardLoadQuote, 'amount'>;
  readonly accounts: { readonly wallet: bigint; readonly fxPositionUsdt: bigint };
}): PendingTransferRequest {
  return {
    type: 'pending',
    id: cardLoadPendingTransferId(input.loadId),
    code: cardLoadCode,
    debitAccountId: input.accounts.wallet,
    creditAccountId: input.accounts.fxPositionUsdt,
    amount: input.quote.amount,
    metadata: { loadId: input.loadId, cardId: input.cardId },
  };
}

export function planCardLoadPost(input: {
  readonly loadId: string;
  readonly providerLoadToken: string;
  readonly quote: Pick<CardLoadQuote, 'net' | 'spread' | 'fee'>;
  readonly accounts: { readonly card: bigint; readonly fxPositionUsd: bigint; readonly fxSpread: bigint };
}): TransferRequest[] {
  const { quote, accounts } = input;
  // No load fee is configured and the chart has no account for one: a quote with a fee is a mistake, not booked.
  if (quote.fee.minor !== 0n)
    throw new AppError('invalid_input', `card load ${input.loadId} quotes a fee, which has no account`, {
      reason: 'load_fee_unsupported',
    });
  const pendingId = cardLoadPendingTransferId(input.loadId);
  const transfers: TransferRequest[] = [
    { type: 'post_pending', id: `${pendingId}:post`, code: cardLoadCode, pendingId },
    {
      type: 'posted',
      id: `${pendingId}:usd`,
      code: cardLoadCode,
      debitAccountId: accounts.fxPositionUsd,
      creditAccountId: accounts.card,
      amount: quote.net,
      metadata: { loadId: input.loadId, providerLoadToken: input.providerLoadToken },
    },
  ];
  if (quote.spread.minor > 0n)
    transfers.push({
      type: 'posted',
      id: `${pendingId}:spread`,
      code: 'fx_spread',
      debitAccountId: accounts.fxPositionUsd,
      creditAccountId: accounts.fxSpread,
      amount: quote.spread,
    });
  return transfers;
}

export function planCardLoadVoid(loadId: string): TransferRequest {
  const pendingId = cardLoadPendingTransferId(loadId);
  return { type: 'void_pending', id: `${pendingId}:void`, code: cardLoadCode, pendingId };
}
