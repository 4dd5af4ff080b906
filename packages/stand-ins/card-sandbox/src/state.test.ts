// The sandbox's bookkeeping: balances, every simulate kind, declines, idempotency records.
import { describe, it, expect } from 'vitest';
import { parseAmountText, formatAmount } from './money-text.ts';
import { hashRequest, SandboxError, SandboxState } from './state.ts';

const fixedNow = () => new Date('2026-11-26T10:00:00.000Z');

function fundedCard(amount = 10_000n) {
  const state = new SandboxState(fixedNow);
  const card = state.createCard({ memo: 'test' });
  if (amount > 0n) state.load(card.token, amount, `load-${card.token}`);
  return { state, card };
}

function refusal(action: () => unknown): { status: number; code: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof SandboxError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected a SandboxError');
}

const merchant = { descriptor: 'COFFEE SHOP', mcc: '5812' };

describe('amount text', () => {
  it('parses integer minor units into bigint and refuses everything else', () => {
    expect(parseAmountText('0')).toBe(0n);
    expect(parseAmountText('1250')).toBe(1250n);
    expect(parseAmountText('999999999999')).toBe(999_999_999_999n);
    for (const bad of [
      1250,
      '01',
      '-5',
      '+5',
      '12.50',
      '1e3',
      '',
      ' 1',
      '1000000000000',
      null,
      undefined,
      5n,
    ])
      expect(parseAmountText(bad)).toBeUndefined();
    expect(formatAmount(-300n)).toBe('-300');
  });
});

describe('cards and loads', () => {
  it('creates open virtual cards and sums loads into the settled balance', () => {
    const state = new SandboxState(fixedNow);
    const card = state.createCard({});
    expect(card.token).toMatch(/^card_[0-9a-f]{32}$/);
    expect(card.lastFour).toMatch(/^[0-9]{4}$/);
    expect(state.cardView(card.token)).toMatchObject({
      type: 'VIRTUAL',
      state: 'OPEN',
      created: '2026-11-26T10:00:00.000Z',
      memo: null,
      balance: { currency: 'USD', available_amount: '0', pending_amount: '0', settled_amount: '0' },
    });
    state.load(card.token, 1250n, 'k1');
    state.load(card.token, 750n, 'k2');
    expect(state.balance(card.token)).toEqual({ settled: 2000n, pending: 0n, available: 2000n });
    expect(SandboxState.loadView(state.loadByIdempotencyKey('k2'))).toMatchObject({
      card_token: card.token,
      idempotency_key: 'k2',
      amount: '750',
      currency: 'USD',
      status: 'SETTLED',
    });
    expect(refusal(() => state.loadByIdempotencyKey('nope'))).toEqual({
      status: 404,
      code: 'load_not_found',
    });
  });

  it('loads a paused card, refuses a closed one, and keeps CLOSED final', () => {
    const { state, card } = fundedCard(0n);
    expect(state.setCardState(card.token, 'PAUSED').state).toBe('PAUSED');
    state.load(card.token, 100n, 'paused-load');
    expect(state.balance(card.token).settled).toBe(100n);
    state.setCardState(card.token, 'CLOSED');
    expect(refusal(() => state.load(card.token, 100n, 'closed-load'))).toEqual({
      status: 422,
      code: 'card_closed',
    });
    expect(state.setCardState(card.token, 'CLOSED').state).toBe('CLOSED');
    expect(refusal(() => state.setCardState(card.token, 'OPEN'))).toEqual({
      status: 409,
      code: 'card_closed',
    });
    expect(refusal(() => state.card('card_missing'))).toEqual({ status: 404, code: 'card_not_found' });
  });

  it('replays an idempotent request with the same body and refuses the key with another body', () => {
    const state = new SandboxState(fixedNow);
    const body = { type: 'VIRTUAL', memo: 'a' };
    const hash = hashRequest('POST /v1/cards', body);
    expect(state.checkIdempotency('cards', 'key-1', hash)).toEqual({ kind: 'new' });
    const card = state.createCard(body);
    state.rememberIdempotency('cards', 'key-1', hash, { token: card.token });
    // Key order does not matter; the content does.
    const again = hashRequest('POST /v1/cards', { memo: 'a', type: 'VIRTUAL' });
    expect(state.checkIdempotency('cards', 'key-1', again)).toEqual({
      kind: 'replay',
      response: { token: card.token },
    });
    const other = hashRequest('POST /v1/cards', { type: 'VIRTUAL', memo: 'b' });
    expect(refusal(() => state.checkIdempotency('cards', 'key-1', other))).toEqual({
      status: 409,
      code: 'idempotency_key_reused',
    });
    // Scopes are separate: a load may use the same key as a card.
    expect(state.checkIdempotency('loads', 'key-1', other)).toEqual({ kind: 'new' });
    expect(state.counts.cards).toBe(1);
  });

  it('never loads twice under one key', () => {
    const { state, card } = fundedCard(0n);
    state.load(card.token, 500n, 'same');
    expect(refusal(() => state.load(card.token, 500n, 'same'))).toEqual({
      status: 409,
      code: 'idempotency_key_reused',
    });
    expect(state.balance(card.token).settled).toBe(500n);
  });
});

describe('authorizations', () => {
  it('holds an approved authorization and numbers its events', () => {
    const { state, card } = fundedCard(10_000n);
    const { transaction, event } = state.authorize(card.token, 1250n, {
      ...merchant,
      merchantAmount: 1150n,
      merchantCurrency: 'EUR',
    });
    expect(transaction.result).toBe('APPROVED');
    expect(state.balance(card.token)).toEqual({ settled: 10_000n, pending: 1250n, available: 8750n });
    expect(event).toEqual({
      event_id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      event_type: 'card_transaction.updated',
      created: '2026-11-26T10:00:00.000Z',
      payload: {
        transaction_token: transaction.token,
        card_token: card.token,
        kind: 'AUTHORIZATION',
        result: 'APPROVED',
        sequence: 1,
        amount: '1250',
        currency: 'USD',
        merchant_amount: '1150',
        merchant_currency: 'EUR',
        mcc: '5812',
        descriptor: 'COFFEE SHOP',
      },
    });
    expect(SandboxState.transactionView(transaction)).toMatchObject({
      status: 'PENDING',
      amount: '1250',
      pending_amount: '1250',
      settled_amount: '0',
      events: [event],
    });
  });

  it('declines a paused card, a closed card and insufficient funds without a hold', () => {
    const { state, card } = fundedCard(1000n);
    const short = state.authorize(card.token, 1001n, merchant);
    expect(short.transaction.result).toBe('INSUFFICIENT_FUNDS');
    expect(short.event.payload).toMatchObject({ kind: 'AUTHORIZATION', result: 'INSUFFICIENT_FUNDS' });
    expect(state.authorize(card.token, 1000n, merchant).transaction.result).toBe('APPROVED');
    state.setCardState(card.token, 'PAUSED');
    expect(state.authorize(card.token, 1n, merchant).transaction.result).toBe('CARD_PAUSED');
    state.setCardState(card.token, 'CLOSED');
    const closed = state.authorize(card.token, 1n, merchant);
    expect(closed.transaction.result).toBe('CARD_CLOSED');
    expect(SandboxState.transactionView(closed.transaction).status).toBe('DECLINED');
    expect(state.balance(card.token)).toEqual({ settled: 1000n, pending: 1000n, available: 0n });
    expect(refusal(() => state.clearing(closed.transaction.token))).toEqual({
      status: 409,
      code: 'transaction_declined',
    });
  });

  it('moves the hold by the difference on an advice, without a balance check', () => {
    const { state, card } = fundedCard(1000n);
    const { transaction } = state.authorize(card.token, 600n, merchant);
    const up = state.authorizationAdvice(transaction.token, 1500n);
    expect(up.event.payload).toMatchObject({ kind: 'AUTHORIZATION_ADVICE', amount: '1500', sequence: 2 });
    expect(state.balance(card.token)).toEqual({ settled: 1000n, pending: 1500n, available: -500n });
    state.authorizationAdvice(transaction.token, 400n);
    expect(state.balance(card.token).pending).toBe(400n);
    expect(SandboxState.transactionView(transaction).amount).toBe('400');
  });

  it('clears in several parts; the hold shrinks by min(amount, hold)', () => {
    const { state, card } = fundedCard(10_000n);
    const { transaction } = state.authorize(card.token, 1000n, merchant);
    const first = state.clearing(transaction.token, 300n);
    expect(first.event.payload).toMatchObject({ kind: 'CLEARING', amount: '300', sequence: 2 });
    expect(state.balance(card.token)).toEqual({ settled: 9700n, pending: 700n, available: 9000n });
    expect(SandboxState.status(transaction)).toBe('PENDING');
    // Over-clearing: posts all of it, the hold only goes to zero.
    state.clearing(transaction.token, 900n);
    expect(state.balance(card.token)).toEqual({ settled: 8800n, pending: 0n, available: 8800n });
    expect(SandboxState.transactionView(transaction)).toMatchObject({
      status: 'SETTLED',
      settled_amount: '1200',
      pending_amount: '0',
    });
    expect(refusal(() => state.clearing(transaction.token))).toEqual({
      status: 409,
      code: 'nothing_to_clear',
    });
  });

  it('clears what is left of the hold by default', () => {
    const { state, card } = fundedCard(10_000n);
    const { transaction } = state.authorize(card.token, 1000n, merchant);
    state.clearing(transaction.token, 250n);
    const rest = state.clearing(transaction.token);
    expect(rest.event.payload.amount).toBe('750');
    expect(state.balance(card.token)).toEqual({ settled: 9000n, pending: 0n, available: 9000n });
  });

  it('releases part or all of a hold on a reversal, the rest on an expiry; a later clearing still posts', () => {
    const { state, card } = fundedCard(10_000n);
    const { transaction } = state.authorize(card.token, 1000n, merchant);
    const partial = state.void(transaction.token, 'AUTHORIZATION_REVERSAL', 200n);
    expect(partial.event.payload).toMatchObject({ kind: 'AUTHORIZATION_REVERSAL', amount: '200' });
    expect(state.balance(card.token).pending).toBe(800n);
    const expiry = state.void(transaction.token, 'AUTHORIZATION_EXPIRY', 1n);
    expect(expiry.event.payload).toMatchObject({ kind: 'AUTHORIZATION_EXPIRY', amount: '800', sequence: 3 });
    expect(state.balance(card.token)).toEqual({ settled: 10_000n, pending: 0n, available: 10_000n });
    expect(SandboxState.status(transaction)).toBe('EXPIRED');
    expect(refusal(() => state.void(transaction.token, 'AUTHORIZATION_REVERSAL'))).toEqual({
      status: 409,
      code: 'nothing_to_release',
    });
    const late = state.clearing(transaction.token, 900n);
    expect(late.event.payload).toMatchObject({ kind: 'CLEARING', amount: '900', sequence: 4 });
    expect(state.balance(card.token)).toEqual({ settled: 9100n, pending: 0n, available: 9100n });
    expect(SandboxState.status(transaction)).toBe('SETTLED');
  });

  it('voids a whole authorization by default', () => {
    const { state, card } = fundedCard(10_000n);
    const { transaction } = state.authorize(card.token, 1000n, merchant);
    expect(state.void(transaction.token, 'AUTHORIZATION_REVERSAL').event.payload.amount).toBe('1000');
    expect(SandboxState.status(transaction)).toBe('VOIDED');
    expect(state.balance(card.token).available).toBe(10_000n);
  });
});

describe('transactions without an authorization', () => {
  it('credits a return and debits it back on a return reversal, once', () => {
    const { state, card } = fundedCard(1000n);
    const { transaction, event } = state.return(card.token, 400n, 'REFUND');
    expect(event.payload).toMatchObject({ kind: 'RETURN', amount: '400', sequence: 1, result: 'APPROVED' });
    expect(state.balance(card.token)).toEqual({ settled: 1400n, pending: 0n, available: 1400n });
    expect(SandboxState.transactionView(transaction)).toMatchObject({
      status: 'SETTLED',
      amount: '-400',
      settled_amount: '-400',
    });
    const reversal = state.returnReversal(transaction.token);
    expect(reversal.event.payload).toMatchObject({ kind: 'RETURN_REVERSAL', amount: '400', sequence: 2 });
    expect(state.balance(card.token).settled).toBe(1000n);
    expect(refusal(() => state.returnReversal(transaction.token))).toEqual({
      status: 409,
      code: 'already_reversed',
    });
    const authorization = state.authorize(card.token, 10n, merchant);
    expect(refusal(() => state.returnReversal(authorization.transaction.token))).toEqual({
      status: 409,
      code: 'not_a_return',
    });
  });

  it('posts a financial authorization at once and declines it like an authorization', () => {
    const { state, card } = fundedCard(1000n);
    const approved = state.financialAuthorization(card.token, 700n, 'VENDING');
    expect(approved.event.payload).toMatchObject({ kind: 'FINANCIAL_AUTHORIZATION', result: 'APPROVED' });
    expect(state.balance(card.token)).toEqual({ settled: 300n, pending: 0n, available: 300n });
    const declined = state.financialAuthorization(card.token, 301n, 'VENDING');
    expect(declined.event.payload.result).toBe('INSUFFICIENT_FUNDS');
    expect(state.balance(card.token).settled).toBe(300n);
  });

  it('force posts past the balance, which goes negative', () => {
    const { state, card } = fundedCard(100n);
    const { transaction, event } = state.forcePost(card.token, 250n, 'LATE PRESENTMENT');
    expect(event.payload).toMatchObject({ kind: 'CLEARING', amount: '250', sequence: 1, result: 'APPROVED' });
    expect(state.balance(card.token)).toEqual({ settled: -150n, pending: 0n, available: -150n });
    expect(state.cardView(card.token).balance).toMatchObject({
      settled_amount: '-150',
      available_amount: '-150',
    });
    expect(state.transactionsOf(card.token).map((item) => item.token)).toEqual([transaction.token]);
    // A negative balance declines the next authorization.
    expect(state.authorize(card.token, 1n, merchant).transaction.result).toBe('INSUFFICIENT_FUNDS');
  });

  it('refuses zero amounts and unknown transactions', () => {
    const { state, card } = fundedCard(100n);
    expect(refusal(() => state.authorize(card.token, 0n, merchant))).toEqual({
      status: 400,
      code: 'invalid_amount',
    });
    expect(refusal(() => state.clearing('txn_missing'))).toEqual({
      status: 404,
      code: 'transaction_not_found',
    });
  });
});
