// Several node endpoints behind one ChainSource. A call goes to the current endpoint; when it errors, that endpoint
// rests for a while (as long as a 429 asks, else an exponential cool-down) and the call moves to the next one, at
// most once per endpoint. Every so often all endpoints report their head, and the watcher moves away from one that
// has fallen behind the others.
import type { BlockHeader, ChainBlock, ChainSource } from './chain-source.ts';

export interface FailoverOptions {
  readonly sources: readonly ChainSource[];
  /** An endpoint this many blocks behind the best head is abandoned. */
  readonly behindBlocksMax: number;
  /** How often to compare heads across endpoints. */
  readonly headCheckIntervalMs: number;
  readonly coolDownMsMin: number;
  readonly coolDownMsMax: number;
  readonly now?: () => number;
  readonly onSwitch?: (from: string, to: string, reason: string) => void;
}

interface EndpointState {
  readonly source: ChainSource;
  restUntilMs: number;
  failures: number;
}

/** Errors from node clients may say how long to wait (HTTP 429 Retry-After). */
function retryAfterMsOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function createFailoverSource(
  options: FailoverOptions,
): ChainSource & { readonly currentName: () => string } {
  if (options.sources.length === 0) throw new Error('at least one node endpoint is needed');
  const now = options.now ?? Date.now;
  const endpoints: EndpointState[] = options.sources.map((source) => ({
    source,
    restUntilMs: 0,
    failures: 0,
  }));
  let current = 0;
  let lastHeadCheckMs = 0;

  function switchTo(index: number, reason: string): void {
    if (index === current) return;
    options.onSwitch?.(endpoints[current]!.source.name, endpoints[index]!.source.name, reason);
    current = index;
  }

  function nextAvailable(after: number): number {
    for (let offset = 1; offset <= endpoints.length; offset += 1) {
      const index = (after + offset) % endpoints.length;
      if (endpoints[index]!.restUntilMs <= now()) return index;
    }
    // Everything is resting: take the one whose rest ends first.
    let best = 0;
    for (let index = 1; index < endpoints.length; index += 1)
      if (endpoints[index]!.restUntilMs < endpoints[best]!.restUntilMs) best = index;
    return best;
  }

  async function call<T>(operation: (source: ChainSource) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < endpoints.length; attempt += 1) {
      const endpoint = endpoints[current]!;
      try {
        const result = await operation(endpoint.source);
        endpoint.failures = 0;
        return result;
      } catch (error) {
        lastError = error;
        endpoint.failures += 1;
        const coolDownMs =
          retryAfterMsOf(error) ??
          Math.min(options.coolDownMsMin * 2 ** Math.min(endpoint.failures - 1, 16), options.coolDownMsMax);
        endpoint.restUntilMs = now() + coolDownMs;
        switchTo(nextAvailable(current), `error: ${(error as Error).message}`);
      }
    }
    throw lastError;
  }

  async function checkHeads(): Promise<void> {
    lastHeadCheckMs = now();
    const heads = await Promise.all(
      endpoints.map((endpoint) =>
        endpoint.source.head().then(
          (head) => head.number,
          () => -1,
        ),
      ),
    );
    const best = Math.max(...heads);
    const currentHead = heads[current] ?? -1;
    if (best - currentHead > options.behindBlocksMax) {
      const leader = heads.indexOf(best);
      switchTo(leader, `behind by ${best - currentHead} blocks`);
    }
  }

  return {
    get name() {
      return `failover(${endpoints.map((endpoint) => endpoint.source.name).join(', ')})`;
    },
    currentName: () => endpoints[current]!.source.name,
    async head(): Promise<BlockHeader> {
      if (endpoints.length > 1 && now() - lastHeadCheckMs >= options.headCheckIntervalMs) await checkHeads();
      return call((source) => source.head());
    },
    solidifiedBlockNumber: () => call((source) => source.solidifiedBlockNumber()),
    header: (number: number) => call((source) => source.header(number)),
    blocks: (
      fromInclusive: number,
      toExclusive: number,
      irreversibleThrough: number,
    ): Promise<ChainBlock[]> =>
      call((source) => source.blocks(fromInclusive, toExclusive, irreversibleThrough)),
  };
}
