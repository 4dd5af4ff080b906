// Readiness checks that ask the dependency itself, each within the readiness timeout: a check that reads local state
// (a worker's own "RUNNING") would answer "ok" while the server behind it is down. Typed by what they call, so this
// package needs neither the Temporal SDK nor a Redis client.
import { healthCheckTimeoutMs, type HealthCheck } from './health-routes.ts';

/** What a Temporal connection (the client's Connection or the worker's NativeConnection) offers for this. */
export interface TemporalHealthConnection {
  readonly healthService: { readonly check: (request: object) => Promise<unknown> };
  readonly withDeadline: <T>(deadline: number, fn: () => Promise<T>) => Promise<T>;
}

/** The Temporal server's gRPC health service, with a deadline so the call ends with the check. */
export function temporalHealthCheck(connection: TemporalHealthConnection): HealthCheck {
  return async () => {
    await connection.withDeadline(Date.now() + healthCheckTimeoutMs, () =>
      connection.healthService.check({}),
    );
  };
}

export function redisHealthCheck(redis: { readonly ping: () => Promise<string> }): HealthCheck {
  return async () => {
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`redis answered ${answer} to PING`);
  };
}
