// Where a user's events live in Redis and how they are bounded. One stream per user, `<prefix>:user-events:<userId>`,
// whose entry ids are the SSE ids; one pub/sub channel per deployment, `<prefix>:user-events`, whose messages name the
// user and carry the entry, so the API's one subscriber per process can fan them out without reading the stream.

/** Entries kept per user (XADD MAXLEN ~): about 10 minutes of a user making 100 events a minute; resume needs minutes. */
export const userEventStreamEntriesMax = 1_000;
/** A user's stream is dropped after a day without events (EXPIRE on every append). */
export const userEventStreamIdleSecondsMax = 24 * 3600;

export function userEventStreamKey(keyPrefix: string, userId: string): string {
  return `${keyPrefix}:user-events:${userId}`;
}

export function userEventChannel(keyPrefix: string): string {
  return `${keyPrefix}:user-events`;
}

/** A Redis stream entry id: `<ms>-<seq>`, both decimal. */
const streamIdPattern = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

export function isStreamId(value: string): boolean {
  return streamIdPattern.test(value);
}

/** Orders two stream entry ids as Redis does (by milliseconds, then sequence); -1, 0 or 1. */
export function compareStreamIds(a: string, b: string): -1 | 0 | 1 {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/** What the channel carries: the user, and the entry (id absent for a transient event, which has no stream entry). */
export interface UserEventMessage {
  readonly userId: string;
  readonly id: string | null;
  /** The event's JSON, as appended to the stream (parsed by the reader with the contract's schema). */
  readonly event: string;
}
