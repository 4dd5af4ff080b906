// Which database failures are worth retrying. They never reach callers as business errors: a serialization
// failure, a deadlock, a lost connection or a concurrent insert of the same id is retried (bounded); the retry reads
// fresh state, and idempotent ids make a retry after an unseen commit answer `exists` instead of moving money twice.

/** SQLSTATEs that a retry can cure. */
const transientSqlStates = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: another writer committed the same transfer id or resolved the same hold first
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004', // connection exceptions
  '55P03', // lock_not_available
]);

const transientErrorNames = new Set([
  'BackendTerminatedError',
  'BackendTerminatedUnexpectedlyError',
  'ConnectionError',
]);
const transientNodeCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/** Walks an error's cause chain for a SQLSTATE or a connection failure. */
export function isTransientDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth += 1) {
    const candidate = current as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.name === 'string' && transientErrorNames.has(candidate.name)) return true;
    if (
      typeof candidate.code === 'string' &&
      (transientSqlStates.has(candidate.code) || transientNodeCodes.has(candidate.code))
    )
      return true;
    if (
      typeof candidate.message === 'string' &&
      /Connection terminated|connection is closed|terminating connection/i.test(candidate.message)
    )
      return true;
    current = candidate.cause;
  }
  return false;
}
