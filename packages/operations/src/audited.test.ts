// Proves the audit of operator actions on the real PostgreSQL: a successful action is recorded `ok` with its detail
// and request id, a 4xx AppError `refused` with its reason, any other error `failed` (reason `internal`), the error
// itself reaching the caller unchanged in both cases; a refusal before the action is recorded too.
import { describe, expect, it } from 'vitest';
import { AppError } from '@cardgate/errors';
import { createOperatorAudit } from '@cardgate/operators';
import { useTestDatabase } from '@cardgate/test-harness';
import { createAuditedRunner } from './audited.ts';

const database = useTestDatabase();

describe('audited operator actions', () => {
  it('records ok, refused and failed outcomes, and refusals before the action', async () => {
    const audited = createAuditedRunner(database.pool);
    const call = { actor: 'opt_tester', requestId: 'req-1' };
    expect(
      await audited.run(
        call,
        'ledger.verify',
        'target:a',
        () => Promise.resolve(7),
        (n) => ({ n }),
      ),
    ).toBe(7);
    const refusal = new AppError('conflict', 'not waiting', { reason: 'flow_not_waiting' });
    await expect(
      audited.run(call, 'compensation.retry', 'target:a', () => Promise.reject(refusal)),
    ).rejects.toBe(refusal);
    const crash = new Error('socket closed');
    await expect(
      audited.run(call, 'compensation.retry', 'target:a', () => Promise.reject(crash)),
    ).rejects.toBe(crash);
    await audited.refused(call, 'card.freeze', 'target:a', 'missing_scope');
    const entries = await createOperatorAudit(database.pool).recent({ target: 'target:a', limit: 10 });
    expect(entries.map((entry) => [entry.action, entry.result, entry.detail, entry.requestId])).toEqual([
      ['card.freeze', 'refused', { reason: 'missing_scope' }, 'req-1'],
      ['compensation.retry', 'failed', { reason: 'internal' }, 'req-1'],
      ['compensation.retry', 'refused', { reason: 'flow_not_waiting' }, 'req-1'],
      ['ledger.verify', 'ok', { n: 7 }, 'req-1'],
    ]);
  });
});
