// Delivers the sandbox's events to Cardgate as Standard Webhooks: signed, retried with bounded backoff until a 2xx,
// in order per transaction, with the faults API.md lists (duplicates, held then released in any order, a bad first
// signature). `idle()` resolves once nothing is queued or in flight (held deliveries do not count).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhook } from '@cardgate/card-provider';

export interface Delivery {
  readonly eventId: string;
  /** Deliveries with the same key go out one after another, in the order they were queued. */
  readonly orderKey: string;
  readonly body: string;
}

export interface DeliveryFaults {
  duplicateWebhooks: boolean;
  holdWebhooks: boolean;
  badSignatureNext: number;
}

export interface WebhookDeliveryOptions {
  readonly secret: string;
  url: string | undefined;
  readonly faults: DeliveryFaults;
  readonly fetch?: typeof fetch;
  readonly attemptsMax?: number;
  readonly timeoutMs?: number;
  readonly onDelivered?: (delivery: Delivery, status: number) => void;
}

const heldMax = 10_000;
const queuedMax = 100_000;

export function createWebhookDelivery(options: WebhookDeliveryOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const attemptsMax = options.attemptsMax ?? 6;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const chains = new Map<string, Promise<void>>();
  const held: Delivery[] = [];
  const counters = { queued: 0, delivered: 0, failedAttempts: 0, abandoned: 0 };
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  function settle(): void {
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const waiter of waiters) waiter();
  }

  async function attempt(delivery: Delivery, secret: string): Promise<boolean> {
    if (!options.url) return false;
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetchImpl(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, delivery.eventId, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) options.onDelivered?.(delivery, response.status);
      return response.ok;
    } catch {
      return false;
    }
  }

  async function deliver(delivery: Delivery): Promise<void> {
    let badFirstSignature = options.faults.badSignatureNext > 0;
    if (badFirstSignature) options.faults.badSignatureNext -= 1;
    for (let attemptNumber = 1; attemptNumber <= attemptsMax && !stopped; attemptNumber += 1) {
      const secret = badFirstSignature ? `whsec_${randomBytes(24).toString('base64')}` : options.secret;
      badFirstSignature = false;
      if (await attempt(delivery, secret)) {
        counters.delivered += 1;
        return;
      }
      counters.failedAttempts += 1;
      await sleep(Math.min(2_000, 50 * 2 ** attemptNumber));
    }
    counters.abandoned += 1;
  }

  function enqueue(delivery: Delivery): void {
    if (counters.queued - counters.delivered - counters.abandoned >= queuedMax) {
      counters.abandoned += 1;
      return;
    }
    counters.queued += 1;
    inFlight += 1;
    const previous = chains.get(delivery.orderKey) ?? Promise.resolve();
    const next = previous
      .then(() => deliver(delivery))
      .finally(() => {
        inFlight -= 1;
        if (chains.get(delivery.orderKey) === next) chains.delete(delivery.orderKey);
        settle();
      });
    chains.set(delivery.orderKey, next);
  }

  return {
    /** Queues an event (twice when duplicating), or keeps it while webhooks are held. */
    send(delivery: Delivery): void {
      if (stopped) return;
      if (options.faults.holdWebhooks) {
        if (held.length < heldMax) held.push(delivery);
        return;
      }
      enqueue(delivery);
      if (options.faults.duplicateWebhooks)
        enqueue({ ...delivery, orderKey: `${delivery.orderKey}:duplicate` });
    },

    /** Sends the held deliveries one after another, first-in-first-out or in reverse. */
    async release(order: 'fifo' | 'reverse'): Promise<number> {
      const batch = held.splice(0, held.length);
      if (order === 'reverse') batch.reverse();
      for (const delivery of batch) {
        enqueue({ ...delivery, orderKey: 'release' });
        if (options.faults.duplicateWebhooks) enqueue({ ...delivery, orderKey: 'release:duplicate' });
      }
      await this.idle();
      return batch.length;
    },

    idle(): Promise<void> {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    stats: () => ({ ...counters, held: held.length, inFlight }),

    stop(): void {
      stopped = true;
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
