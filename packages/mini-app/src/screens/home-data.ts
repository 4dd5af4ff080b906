// What the home screen shows, read in one go. The first read starts as soon as the app knows who the user is
// (main.tsx), before the SDK's buttons and the first render, so the balance arrives sooner on the first screen.
import type { ApiClient, Balances, Card, Deposit } from '../api/index.ts';

export interface HomeData {
  readonly balances: Balances;
  readonly cards: Card[];
  readonly deposits: Deposit[];
}

const inProgress = new Set<Deposit['state']>(['seen', 'confirming', 'final', 'held_for_review']);

export async function loadHome(api: ApiClient): Promise<HomeData> {
  // The list of cards comes from the balances; GET /v1/cards only adds each card's last four digits, so the home
  // screen still shows every balance if that read fails.
  const [balances, cards, deposits] = await Promise.all([
    api.balances(),
    api.cards().catch((): Card[] => []),
    api.deposits(),
  ]);
  return { balances, cards, deposits: deposits.items.filter((deposit) => inProgress.has(deposit.state)) };
}

let prefetched: Promise<HomeData> | undefined;

export function prefetchHome(api: ApiClient): void {
  prefetched = loadHome(api);
  // If the first screen never takes it, its failure is not an unhandled rejection; whoever takes it sees it.
  prefetched.catch(() => undefined);
}

/** The prefetched read, once; later reads (live events, a retry) go to the API. */
export function takePrefetchedHome(): Promise<HomeData> | undefined {
  const taken = prefetched;
  prefetched = undefined;
  return taken;
}
