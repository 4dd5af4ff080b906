// Every operator action leaves one audit row (packages/operators): who (a token id, or `cli:<os user>`), what, on
// which target, under which request id, and how it ended: `ok`, `refused` (a 4xx: bad input, not found, not in the
// state the action needs, a missing scope) or `failed` (anything else). The row is written after the action, so it
// records the outcome; an action whose audit row cannot be written fails rather than going unrecorded.
import type { DatabasePool } from '@cardgate/db';
import { isAppError } from '@cardgate/errors';
import { createOperatorAudit, type AuditEntry } from '@cardgate/operators';

/** Who is acting, and the request it came in (the API's request id; none from the command line). */
export interface OperatorCall {
  /** The token id, or `cli:<os user>`. */
  readonly actor: string;
  readonly requestId?: string | undefined;
}

export type AuditDetail = NonNullable<AuditEntry['detail']>;

/** The audit's target column holds at most 200 characters; a longer operator input is cut, never refused by it. */
const targetLengthMax = 200;

export function createAuditedRunner(pool: DatabasePool) {
  const audit = createOperatorAudit(pool);

  async function record(
    call: OperatorCall,
    action: string,
    target: string,
    result: AuditEntry['result'],
    detail: AuditDetail,
  ): Promise<void> {
    await audit.record({
      actor: call.actor,
      action,
      target: target.slice(0, targetLengthMax) || '-',
      requestId: call.requestId,
      result,
      detail,
    });
  }

  return {
    /** Runs `action` and records its outcome; the action's error is rethrown after it is recorded. */
    async run<T>(
      call: OperatorCall,
      action: string,
      target: string,
      perform: () => Promise<T>,
      detailOf: (result: T) => AuditDetail = () => ({}),
    ): Promise<T> {
      let result: T;
      try {
        result = await perform();
      } catch (error) {
        const refused = isAppError(error) && error.httpStatus < 500;
        await record(call, action, target, refused ? 'refused' : 'failed', {
          reason: isAppError(error) ? error.reason : 'internal',
        });
        throw error;
      }
      await record(call, action, target, 'ok', detailOf(result));
      return result;
    },

    /** Records an action refused before it ran (the API's scope check). */
    refused(call: OperatorCall, action: string, target: string, reason: string): Promise<void> {
      return record(call, action, target, 'refused', { reason });
    },
  };
}

export type AuditedRunner = ReturnType<typeof createAuditedRunner>;
