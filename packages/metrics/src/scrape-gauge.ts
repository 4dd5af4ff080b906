// Gauges whose value is read from PostgreSQL or Redis when Prometheus scrapes (prom-client's collect()), so nothing
// is read while nobody scrapes. Each read has a bound: a scrape never waits longer than `readTimeoutMs` for one
// gauge; a read that fails or takes longer leaves the gauge's last value in place and counts the failure in
// cardgate_metric_read_failures_total{metric}, which says the value is stale.
import { Counter, Gauge, type Registry } from 'prom-client';

/** How long a scrape waits for one gauge's read (Prometheus' default scrape timeout is 10 s). */
export const readTimeoutMsDefault = 2_000;

export interface GaugeSample<Label extends string> {
  readonly labels: Readonly<Record<Label, string>>;
  readonly value: number;
}

export interface ScrapeGaugeOptions<Label extends string> {
  readonly registry: Registry;
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly Label[];
  /** A number for an unlabelled gauge; samples for a labelled one (label sets not returned are dropped). */
  readonly read: () => Promise<number | readonly GaugeSample<Label>[]>;
  readonly readTimeoutMs?: number;
}

interface ReadFailures {
  readonly counter: Counter<'metric'>;
  /** The reads of the scrape in progress: the counter is written out after them, so it counts this scrape's too. */
  readonly inFlight: Set<Promise<unknown>>;
}

const failuresOfRegistry = new WeakMap<Registry, ReadFailures>();

function readFailures(registry: Registry): ReadFailures {
  let failures = failuresOfRegistry.get(registry);
  if (!failures) {
    const inFlight = new Set<Promise<unknown>>();
    const counter = new Counter({
      name: 'cardgate_metric_read_failures_total',
      help: 'Reads of a gauge at scrape time that failed or took too long (the gauge kept its last value)',
      labelNames: ['metric'],
      registers: [registry],
      async collect() {
        // The registry starts every metric's collect in one synchronous pass; after this turn the gauges' reads
        // have all begun.
        await Promise.resolve();
        await Promise.allSettled([...inFlight]);
      },
    });
    failures = { counter, inFlight };
    failuresOfRegistry.set(registry, failures);
  }
  return failures;
}

export function createScrapeGauge<Label extends string = never>(
  options: ScrapeGaugeOptions<Label>,
): Gauge<Label> {
  const timeoutMs = options.readTimeoutMs ?? readTimeoutMsDefault;
  const failures = readFailures(options.registry);
  const { name, read } = options;
  return new Gauge<Label>({
    name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [options.registry],
    async collect() {
      let result: number | readonly GaugeSample<Label>[];
      const reading = withTimeout(read(), timeoutMs, name);
      failures.inFlight.add(reading);
      try {
        result = await reading;
      } catch {
        failures.counter.inc({ metric: name });
        return;
      } finally {
        failures.inFlight.delete(reading);
      }
      if (typeof result === 'number') {
        this.set(result);
        return;
      }
      this.reset();
      for (const sample of result) this.set(sample.labels as Partial<Record<Label, string>>, sample.value);
    },
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  promise.catch(() => undefined); // a read that loses the race must not become an unhandled rejection
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
