// Delivers transaction events to the webhook URL with Standard Webhooks headers: one ordered chain per transaction,
// a bounded number in flight, bounded retries with exponential backoff, and the webhook faults (duplicates, held
// deliveries released late or reversed, a wrong signature on the first attempt).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhook } from '@cardgate/card-provider';
import type { WebhookEvent } from './state.ts';

export interface WebhookFaults {
  duplicateWebhooks: boolean;
  holdWebhooks: boolean;
  badSignatureNext: number;
}

export interface WebhookSenderOptions {
  readonly secret: string;
  readonly url?: string | undefined;
  /** Read at every dispatch; `badSignatureNext` is decremented as deliveries use it. */
  readonly faults: WebhookFaults;
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
  readonly attemptsMax?: number;
  readonly timeoutMs?: number;
  readonly backoffMsMin?: number;
  readonly backoffMsMax?: number;
  readonly concurrency?: number;
  readonly queueMax?: number;
  /** Told when an event needs no more delivery: delivered, given up, or dropped (no URL, queue full). */
  readonly onSettled?: (eventId: string) => void;
}

export interface WebhookStats {
  /** Waiting or in flight. */
  readonly queued: number;
  readonly held: number;
  /** Deliveries answered 2xx. */
  readonly delivered: number;
  /** Attempts answered with anything but 2xx, or not at all. */
  readonly failedAttempts: number;
  /** Deliveries given up after the last attempt. */
  readonly abandoned: number;
  /** Events not sent because no webhook URL was configured, or dropped because the queue was full. */
  readonly dropped: number;
}

export type ReleaseOrder = 'fifo' | 'reverse';

interface Delivery {
  readonly event: WebhookEvent;
  readonly body: string;
  readonly chain: string;
  readonly badSignature: boolean;
}

const idleTimeoutMsDefault = 60_000;

export class WebhookSender {
  readonly #secret: string;
  #url: string | undefined;
  readonly #faults: WebhookFaults;
  readonly #now: () => Date;
  readonly #fetch: typeof fetch;
  readonly #attemptsMax: number;
  readonly #timeoutMs: number;
  readonly #backoffMsMin: number;
  readonly #backoffMsMax: number;
  readonly #concurrency: number;
  readonly #queueMax: number;
  readonly #onSettled: (eventId: string) => void;

  /** Waiting deliveries, per chain (one chain per transaction keeps its events in order). */
  readonly #chains = new Map<string, Delivery[]>();
  /** Chains with waiting deliveries and none in flight, oldest first. */
  readonly #ready: string[] = [];
  readonly #readySet = new Set<string>();
  readonly #running = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #waiting = 0;
  /** Events kept back while holdWebhooks is on; duplicated (or not) when released. */
  #held: WebhookEvent[] = [];
  #idleWaiters: (() => void)[] = [];
  readonly #stopController = new AbortController();
  #stats = { delivered: 0, failedAttempts: 0, abandoned: 0, dropped: 0 };

  constructor(options: WebhookSenderOptions) {
    this.#secret = options.secret;
    this.#url = options.url;
    this.#faults = options.faults;
    this.#now = options.now ?? (() => new Date());
    this.#fetch = options.fetch ?? fetch;
    this.#attemptsMax = options.attemptsMax ?? 6;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#backoffMsMin = options.backoffMsMin ?? 50;
    this.#backoffMsMax = options.backoffMsMax ?? 2_000;
    this.#concurrency = options.concurrency ?? 8;
    this.#queueMax = options.queueMax ?? 100_000;
    this.#onSettled = options.onSettled ?? (() => undefined);
  }

  get url(): string | undefined {
    return this.#url;
  }

  setUrl(url: string | undefined): void {
    this.#url = url;
  }

  get stats(): WebhookStats {
    return { queued: this.#waiting + this.#inFlight.size, held: this.#held.length, ...this.#stats };
  }

  /** Queues an event for delivery (twice with duplicateWebhooks); keeps it back with holdWebhooks. */
  send(event: WebhookEvent): void {
    if (this.#stopController.signal.aborted) return;
    if (this.#faults.holdWebhooks) {
      if (this.#held.length >= this.#queueMax) this.#drop(event);
      else this.#held.push(event);
      return;
    }
    this.#dispatchCopies(event);
  }

  /** Queues the held events, in the order they were held or reversed; answers how many events were released. */
  release(order: ReleaseOrder = 'fifo'): number {
    const held = order === 'reverse' ? [...this.#held].reverse() : this.#held;
    this.#held = [];
    for (const event of held) this.#dispatchCopies(event);
    return held.length;
  }

  /** Resolves once nothing is waiting or in flight (held deliveries do not count); rejects after `timeoutMs`. */
  idle(timeoutMs = idleTimeoutMsDefault): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((waiter) => waiter !== done);
        reject(new Error(`webhook deliveries still under way after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#idleWaiters.push(done);
    });
  }

  /** Drops everything waiting or held, aborts deliveries in flight and waits (bounded) for them to end. */
  async stop(): Promise<void> {
    this.#stopController.abort();
    this.#chains.clear();
    this.#ready.length = 0;
    this.#readySet.clear();
    this.#waiting = 0;
    this.#held = [];
    const inFlight = [...this.#inFlight];
    await Promise.race([
      Promise.allSettled(inFlight),
      sleep(this.#timeoutMs + 1_000, undefined, { ref: false }),
    ]);
    this.#notifyIfIdle();
  }

  #dispatchCopies(event: WebhookEvent): void {
    const copies = this.#faults.duplicateWebhooks ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) this.#dispatch(event);
  }

  #dispatch(event: WebhookEvent): void {
    if (this.#stopController.signal.aborted) return;
    if (this.#url === undefined || this.#waiting >= this.#queueMax) {
      this.#drop(event);
      return;
    }
    const badSignature = this.#faults.badSignatureNext > 0;
    if (badSignature) this.#faults.badSignatureNext -= 1;
    const delivery: Delivery = {
      event,
      body: JSON.stringify(event),
      chain: event.payload.transaction_token,
      badSignature,
    };
    const waiting = this.#chains.get(delivery.chain);
    if (waiting) waiting.push(delivery);
    else this.#chains.set(delivery.chain, [delivery]);
    this.#waiting += 1;
    if (!this.#running.has(delivery.chain) && !this.#readySet.has(delivery.chain)) {
      this.#ready.push(delivery.chain);
      this.#readySet.add(delivery.chain);
    }
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight.size < this.#concurrency && this.#ready.length > 0) {
      const chain = this.#ready.shift()!;
      this.#readySet.delete(chain);
      const waiting = this.#chains.get(chain);
      const delivery = waiting?.shift();
      if (!waiting || !delivery) continue;
      if (waiting.length === 0) this.#chains.delete(chain);
      this.#waiting -= 1;
      this.#running.add(chain);
      const running: Promise<void> = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(running);
        this.#running.delete(chain);
        if (this.#chains.has(chain) && !this.#readySet.has(chain)) {
          this.#ready.push(chain);
          this.#readySet.add(chain);
        }
        this.#pump();
        this.#notifyIfIdle();
      });
      this.#inFlight.add(running);
    }
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const stop = this.#stopController.signal;
    for (let attempt = 1; attempt <= this.#attemptsMax; attempt += 1) {
      const url = this.#url;
      if (stop.aborted || url === undefined) return;
      const timestamp = Math.floor(this.#now().getTime() / 1000);
      const secret = delivery.badSignature && attempt === 1 ? wrongSecret() : this.#secret;
      try {
        const response = await this.#fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': delivery.event.event_id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(secret, delivery.event.event_id, timestamp, delivery.body),
          },
          body: delivery.body,
          signal: AbortSignal.any([stop, AbortSignal.timeout(this.#timeoutMs)]),
        });
        // The answer's body is not needed; reading it frees the connection.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.#stats.delivered += 1;
          this.#onSettled(delivery.event.event_id);
          return;
        }
      } catch {
        // A network error or a timeout: retried like a non-2xx answer.
      }
      if (stop.aborted) return;
      this.#stats.failedAttempts += 1;
      if (attempt === this.#attemptsMax) break;
      const backoffMs = Math.min(this.#backoffMsMax, this.#backoffMsMin * 2 ** (attempt - 1));
      try {
        await sleep(backoffMs, undefined, { signal: stop });
      } catch {
        return;
      }
    }
    this.#stats.abandoned += 1;
    this.#onSettled(delivery.event.event_id);
  }

  #drop(event: WebhookEvent): void {
    this.#stats.dropped += 1;
    this.#onSettled(event.event_id);
  }

  #isIdle(): boolean {
    return this.#waiting === 0 && this.#inFlight.size === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** A well-formed secret that is not the configured one: its signatures fail verification. */
function wrongSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
