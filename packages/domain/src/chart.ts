// Cardgate's chart of accounts for the money flows: which ledger account each side of a flow is (the ledger I/O that
// creates and resolves them lives in the worker). User USDT wallets and card USD accounts are liabilities; USDT held
// on chain and USD prefunded at the provider are assets; fees and FX spread are revenue; FX positions are one account
// per asset.
import { AppError } from '@cardgate/errors';
import type { AccountSpec } from '@cardgate/ledger';

const userIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;

function checkUserId(userId: string): string {
  if (!userIdPattern.test(userId))
    throw new AppError('invalid_input', `user id ${JSON.stringify(userId)} cannot name a ledger account`, {
      reason: 'invalid_user_id',
    });
  return userId;
}

export const chart = {
  wallet: (userId: string): AccountSpec => ({
    code: `user:${checkUserId(userId)}:wallet:USDT`,
    asset: 'USDT',
    kind: 'liability',
    ownerRef: userId,
    debitsMustNotExceedCredits: true,
  }),
  /** Mirrors the provider's card balance; no flag, since a force post may take it below zero. */
  card: (cardId: string, userId: string): AccountSpec => ({
    code: `card:${cardId}:USD`,
    asset: 'USD',
    kind: 'liability',
    ownerRef: userId,
  }),
  treasury: { code: 'treasury:tron:USDT', asset: 'USDT', kind: 'asset' } satisfies AccountSpec,
  providerPrefund: { code: 'provider:prefund:USD', asset: 'USD', kind: 'asset' } satisfies AccountSpec,
  depositFees: { code: 'revenue:fees:deposit:USDT', asset: 'USDT', kind: 'revenue' } satisfies AccountSpec,
  cardIssueFees: {
    code: 'revenue:fees:card_issue:USDT',
    asset: 'USDT',
    kind: 'revenue',
  } satisfies AccountSpec,
  fxSpread: { code: 'revenue:fx_spread:USD', asset: 'USD', kind: 'revenue' } satisfies AccountSpec,
  fxPositionUsdt: { code: 'fx:position:USDT', asset: 'USDT', kind: 'equity' } satisfies AccountSpec,
  fxPositionUsd: { code: 'fx:position:USD', asset: 'USD', kind: 'equity' } satisfies AccountSpec,
};
