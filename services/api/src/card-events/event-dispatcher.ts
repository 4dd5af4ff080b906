// Gets stored card events to Temporal: at once for a fresh event (without delaying the webhook's answer), and by a
// periodic sweep for any event a crash or a Temporal outage left behind. Handing an event over twice is harmless:
// the workflow keeps one of each event id.
import type { Logger } from '@cardgate/config';
import type { CardTransactionEvent } from '@cardgate/contracts';
import type { CardEventStore } from './event-store.ts';
import type { CardEventHandOver } from './temporal-hand-over.ts';

export interface CardEventDispatcherOptions {
  readonly store: CardEventStore;
  readonly handOver: CardEventHandOver;
  readonly logger: Logger;
  /** Events handed over at once at most (a bound on concurrent Temporal calls). */
  readonly inFlightMax?: number;
  readonly sweepIntervalMs?: number;
  readonly sweepBatchMax?: number;
  /** The sweep leaves younger events to the immediate path. */
  readonly sweepAfterMs?: number;
}

export function createCardEventDispatcher(options: CardEventDispatcherOptions) {
  const inFlightMax = options.inFlightMax ?? 64;
  const sweepIntervalMs = options.sweepIntervalMs ?? 2_000;
  const sweepBatchMax = options.sweepBatchMax ?? 200;
  const sweepAfterMs = options.sweepAfterMs ?? 5_000;
  const markBatchDelayMs = 20;
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<Promise<void>>();

  // Hand-overs are marked in batches: one UPDATE per burst of events instead of one per event.
  let toMark: string[] = [];
  let marking: Promise<void> | undefined;
  function markSoon(eventId: string): Promise<void> {
    toMark.push(eventId);
    marking ??= new Promise<void>((resolve) => setTimeout(resolve, markBatchDelayMs)).then(async () => {
      const batch = toMark;
      toMark = [];
      marking = undefined;
      await options.store.markHandedOver(batch);
    });
    return marking;
  }

  async function handOne(event: CardTransactionEvent): Promise<boolean> {
    try {
      await options.handOver(event);
      await markSoon(event.eventId);
      return true;
    } catch (error) {
      options.logger.warn(
        { err: error, eventId: event.eventId },
        'card event hand-over failed; the sweep retries',
      );
      return false;
    }
  }

  let stopping = false;
  let periodicSweep: Promise<void> | undefined;

  async function sweepUntil(shouldStop: () => boolean): Promise<number> {
    const events = await options.store.waiting(sweepBatchMax, sweepAfterMs);
    let handed = 0;
    for (const event of events) {
      if (shouldStop()) break;
      if (await handOne(event)) handed += 1;
    }
    return handed;
  }

  return {
    /** Hands a freshly stored event over in the background; beyond the in-flight bound it is left to the sweep. */
    dispatchSoon(event: CardTransactionEvent): void {
      if (inFlight >= inFlightMax) return;
      inFlight += 1;
      // After the current request's response is written: the webhook's answer never waits for Temporal.
      const work = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => handOne(event))
        .then(() => {
          inFlight -= 1;
          pending.delete(work);
        });
      pending.add(work);
    },

    /** One pass over the events left behind, to its end. */
    sweep: () => sweepUntil(() => false),

    start(): void {
      stopping = false;
      const tick = () => {
        periodicSweep = sweepUntil(() => stopping)
          .then(
            () => undefined,
            (error: unknown) => options.logger.warn({ err: error }, 'card event sweep failed'),
          )
          .finally(() => {
            periodicSweep = undefined;
            if (timer) timer = setTimeout(tick, sweepIntervalMs);
          });
      };
      timer = setTimeout(tick, sweepIntervalMs);
    },

    /**
     * Stops the periodic sweep and waits for what is in flight: the hand-over the sweep is in (it takes no next
     * event) and the immediate ones. Nothing is handed over after this resolves, so the caller may close the
     * Temporal connection.
     */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      timer = undefined;
      await Promise.all([...pending, periodicSweep]);
    },
  };
}

export type CardEventDispatcher = ReturnType<typeof createCardEventDispatcher>;
