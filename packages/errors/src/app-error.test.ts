// Proves the error model's edge contract: codes map to the documented HTTP statuses and retryability, and a 5xx
// problem body never leaks internal text or details.
import { describe, expect, it } from 'vitest';
import { AppError, toProblemDetails } from './app-error.ts';

describe('AppError', () => {
  it('maps codes to statuses and retryability', () => {
    expect(new AppError('invalid_input', 'bad').httpStatus).toBe(400);
    expect(new AppError('unauthenticated', 'no').httpStatus).toBe(401);
    expect(new AppError('payload_too_large', 'big').httpStatus).toBe(413);
    expect(new AppError('unavailable', 'later').retryable).toBe(true);
    expect(new AppError('rule_violation', 'no funds', { reason: 'insufficient_funds' }).retryable).toBe(
      false,
    );
  });

  it('keeps the reason and client-safe details in a 4xx problem body', () => {
    const error = new AppError('invalid_input', 'amount must be a decimal string', {
      reason: 'invalid_amount',
      details: { field: 'amount' },
      internalMessage: 'got number 12.5',
    });
    const body = toProblemDetails(error, 'req-1');
    expect(body).toMatchObject({
      status: 400,
      code: 'invalid_input',
      reason: 'invalid_amount',
      requestId: 'req-1',
    });
    expect(body.title).toBe('amount must be a decimal string');
    expect(body.details).toEqual({ field: 'amount' });
    expect(JSON.stringify(body)).not.toContain('got number');
  });

  it('turns an unknown error into a bare 500 without its message', () => {
    const body = toProblemDetails(new Error('password=hunter2 in connection string'));
    expect(body.status).toBe(500);
    expect(body.title).toBe('internal error');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
