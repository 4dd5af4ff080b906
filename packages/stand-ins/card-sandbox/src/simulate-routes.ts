// The simulate endpoints as one table (API.md's): each row names its path, the body it accepts and the operation it
// runs. app.ts serves every row the same way: validate, run and save, send the event's webhook, answer
// { token, result, event_id }.
import { z } from 'zod';
import { amount, descriptor, token, validate } from './request.ts';
import type { SimulateOutcome } from './state.ts';
import * as simulate from './state/simulate.ts';

type Operation = (books: simulate.SimulateBooks) => SimulateOutcome;

export interface SimulateRoute {
  readonly path: string;
  /** Validates the body (a 400 if it does not fit) and answers the operation to run. */
  readonly run: (body: unknown) => Operation;
}

function route<T>(path: string, schema: z.ZodType<T>, operation: (body: T) => Operation): SimulateRoute {
  return { path, run: (body) => operation(validate(schema, body)) };
}

const newTransaction = z.object({ card_token: token, amount, descriptor });

export const simulateRoutes: readonly SimulateRoute[] = [
  route(
    'authorize',
    z.object({
      card_token: token,
      amount,
      descriptor,
      mcc: z
        .string()
        .regex(/^[0-9]{4}$/)
        .optional(),
      merchant_amount: amount.optional(),
      merchant_currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
    }),
    (body) => (books) =>
      simulate.authorize(books, body.card_token, body.amount, {
        descriptor: body.descriptor,
        mcc: body.mcc,
        merchantAmount: body.merchant_amount,
        merchantCurrency: body.merchant_currency,
      }),
  ),
  route(
    'authorization_advice',
    z.object({ token, amount }),
    (body) => (books) => simulate.authorizationAdvice(books, body.token, body.amount),
  ),
  route(
    'clearing',
    z.object({ token, amount: amount.optional() }),
    (body) => (books) => simulate.clearing(books, body.token, body.amount),
  ),
  route(
    'void',
    z.object({
      token,
      amount: amount.optional(),
      type: z.enum(['AUTHORIZATION_REVERSAL', 'AUTHORIZATION_EXPIRY']),
    }),
    (body) => (books) => simulate.voidHold(books, body.token, body.type, body.amount),
  ),
  route(
    'return',
    newTransaction,
    (body) => (books) => simulate.returnCredit(books, body.card_token, body.amount, body.descriptor),
  ),
  route(
    'return_reversal',
    z.object({ token }),
    (body) => (books) => simulate.returnReversal(books, body.token),
  ),
  route(
    'financial_authorization',
    newTransaction,
    (body) => (books) =>
      simulate.financialAuthorization(books, body.card_token, body.amount, body.descriptor),
  ),
  route(
    'force_post',
    newTransaction,
    (body) => (books) => simulate.forcePost(books, body.card_token, body.amount, body.descriptor),
  ),
  route(
    'credit_authorization_advice',
    newTransaction,
    (body) => (books) => simulate.creditAuthorization(books, body.card_token, body.amount, body.descriptor),
  ),
  route(
    'financial_credit_authorization',
    z.union([
      z.object({ token, amount, descriptor: descriptor.optional() }),
      z.object({ card_token: token, amount, descriptor }),
    ]),
    (body) => (books) =>
      simulate.financialCredit(
        books,
        'token' in body ? { transactionToken: body.token } : { cardToken: body.card_token },
        body.amount,
        body.descriptor ?? 'CREDIT',
      ),
  ),
  route(
    'correction',
    z.object({ card_token: token, amount, type: z.enum(['CREDIT', 'DEBIT']) }),
    (body) => (books) => simulate.correction(books, body.card_token, body.amount, body.type),
  ),
  route(
    'balance_inquiry',
    z.object({ card_token: token }),
    (body) => (books) => simulate.balanceInquiry(books, body.card_token),
  ),
];
