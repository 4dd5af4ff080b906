// Group commit for the ledger. Requests that arrive while earlier ones are in flight are written together in one
// transaction: one lock of each account, one insert, one update per account however many transfers touch it, one
// commit. This is what makes a hot account (a fee or treasury account in most transfers) cheap: its row is locked
// and rewritten once per batch, not once per transfer. Each request (a linked batch from one caller) still
// succeeds or fails on its own.

export interface Lane<Item, Outcome> {
  (items: readonly Item[]): Promise<readonly Outcome[]>;
}

export interface BatcherOptions<Item, Outcome> {
  /** Runs one batch; returns one outcome per item, in order. Rejecting fails every item of the batch. */
  readonly run: Lane<Item, Outcome>;
  /** How many batches may be in flight at once. */
  readonly lanesMax: number;
  /** Upper bound on the summed weight of a batch. */
  readonly weightMax: number;
  readonly weightOf: (item: Item) => number;
  /** Upper bound on queued items; beyond it new items are refused at once (back-pressure, not unbounded memory). */
  readonly queueMax: number;
}

interface Queued<Item, Outcome> {
  readonly item: Item;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: unknown) => void;
}

export class QueueFullError extends Error {
  constructor(queueMax: number) {
    super(`the ledger's queue holds ${queueMax} requests; try again shortly`);
    this.name = 'QueueFullError';
  }
}

export function createBatcher<Item, Outcome>(options: BatcherOptions<Item, Outcome>) {
  const queue: Queued<Item, Outcome>[] = [];
  let lanesBusy = 0;
  let idleWaiters: (() => void)[] = [];

  function takeBatch(): Queued<Item, Outcome>[] {
    const batch: Queued<Item, Outcome>[] = [];
    let weight = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      const nextWeight = options.weightOf(next.item);
      if (batch.length > 0 && weight + nextWeight > options.weightMax) break;
      batch.push(queue.shift()!);
      weight += nextWeight;
    }
    return batch;
  }

  async function lane(): Promise<void> {
    try {
      for (;;) {
        // One turn of the event loop before taking a batch: callers whose requests just completed (and callers that
        // submitted in the same turn) are queued by then and join this batch instead of forming a small one of their
        // own, which would alternate with the batch in flight and halve every batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = takeBatch();
        if (batch.length === 0) return;
        try {
          const outcomes = await options.run(batch.map((queued) => queued.item));
          batch.forEach((queued, index) => queued.resolve(outcomes[index]!));
        } catch (error) {
          for (const queued of batch) queued.reject(error);
        }
      }
    } finally {
      lanesBusy -= 1;
      if (lanesBusy === 0 && queue.length === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const waiter of waiters) waiter();
      }
    }
  }

  return {
    submit(item: Item): Promise<Outcome> {
      if (queue.length >= options.queueMax) return Promise.reject(new QueueFullError(options.queueMax));
      return new Promise<Outcome>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (lanesBusy < options.lanesMax) {
          lanesBusy += 1;
          void lane();
        }
      });
    },
    /** Resolves once nothing is queued or in flight. */
    drained(): Promise<void> {
      if (lanesBusy === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
