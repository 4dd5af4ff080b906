// The card provider against the ledger, pure: given what the provider lists (cards with balances, every transaction,
// every load, the program's balance) and what Cardgate holds (issued cards, their ledger accounts as of one journal
// point, card_transaction rows, card_load rows and the ledger posts of loads), it finds
// - a card whose balance at the provider differs from its ledger account (settled: credits − debits posted; pending:
//   open holds, the card account's pending debits),
// - a provider transaction unknown to card_transaction, or known with other amounts, and the reverse,
// - a provider load with no loaded card_load or no ledger post, or another amount; a posted load the provider does
//   not know,
// - provider:prefund:USD against the provider's program balance,
// and lists authorizations not yet cleared and anything that moved within the grace period as in flight.
import type { CardLoadSummary, CardTransactionSummary, IssuedCard } from '@cardgate/card-store';
import type {
  ProviderCard,
  ProviderLoad,
  ProviderProgramBalance,
  ProviderTransactionListed,
} from '@cardgate/card-provider';
import type { JournalEntry, Totals } from '@cardgate/ledger';
import { difference, inFlight, type Finding } from './findings.ts';

/** The provider's idempotency key of a load is `load:<loadId>` (card-load activities). */
export const loadIdOfProviderKey = (key: string): string | undefined =>
  key.startsWith('load:') ? key.slice('load:'.length) : undefined;

/** The ledger code of a load's legs; its USD leg to the card is the posted entry naming the load in its metadata. */
export const cardLoadCode = 'card_load';

export interface LoadPost {
  readonly loadId: string;
  readonly transferId: string;
  readonly amountMinor: bigint;
  readonly providerLoadToken: string | null;
}

/** The USD legs of loads: posted `card_load` entries whose metadata names the load and its provider token. */
export function loadPostsOf(entries: readonly JournalEntry[]): LoadPost[] {
  const posts: LoadPost[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'posted' || entry.asset !== 'USD') continue;
    const { loadId, providerLoadToken } = entry.metadata;
    if (typeof loadId !== 'string') continue;
    posts.push({
      loadId,
      transferId: entry.id,
      amountMinor: entry.amountMinor,
      providerLoadToken: typeof providerLoadToken === 'string' ? providerLoadToken : null,
    });
  }
  return posts;
}

export interface ProviderComparisonInput {
  readonly providerCards: readonly ProviderCard[];
  readonly providerTransactions: readonly ProviderTransactionListed[];
  readonly providerLoads: readonly ProviderLoad[];
  readonly programBalance: ProviderProgramBalance;
  readonly cards: readonly IssuedCard[];
  /** Ledger card accounts' totals at the as-of point, by account id. */
  readonly cardAccounts: ReadonlyMap<bigint, Totals>;
  readonly transactions: readonly CardTransactionSummary[];
  readonly loads: readonly CardLoadSummary[];
  readonly loadPosts: readonly LoadPost[];
  readonly prefund: Totals | undefined;
  /** When the provider was read, and how long after an event its effect may still be on its way (webhooks). */
  readonly readAtMs: number;
  readonly graceMs: number;
}

const asset = 'USD';

export function providerFindings(input: ProviderComparisonInput): Finding[] {
  const findings: Finding[] = [];
  const cardByToken = new Map(input.cards.map((card) => [card.providerToken, card]));
  const cardById = new Map(input.cards.map((card) => [card.cardId, card]));
  const recent = (at: string | null): boolean =>
    at !== null && input.readAtMs - Date.parse(at) < input.graceMs;
  // Cards with a transaction that moved within the grace: their balance may not have reached the ledger yet.
  const movingCards = new Set(
    input.providerTransactions.filter((txn) => recent(txn.lastEventAt)).map((txn) => txn.cardToken),
  );
  const recentLoadCards = new Set(
    input.providerLoads.filter((load) => recent(load.createdAt)).map((load) => load.cardToken),
  );

  findings.push(...cardBalanceFindings(input, cardByToken, movingCards, recentLoadCards));
  findings.push(...transactionFindings(input, cardByToken, cardById, recent));
  findings.push(...loadFindings(input, cardById, recent));

  const prefund = input.prefund;
  const ledgerTotal = prefund ? prefund.debitsPosted - prefund.creditsPosted : 0n;
  const ledgerPending = prefund ? prefund.creditsPending - prefund.debitsPending : 0n;
  const moving = movingCards.size > 0;
  if (
    ledgerTotal !== input.programBalance.total.minor ||
    ledgerPending !== input.programBalance.pending.minor
  )
    findings.push(
      (moving ? inFlight : difference)({
        comparison: 'provider',
        kind: moving ? 'program_balance_moving' : 'program_balance_differs',
        asset,
        ledgerMinor: ledgerTotal,
        otherMinor: input.programBalance.total.minor,
        objects: {
          account: 'provider:prefund:USD',
          ledgerPending: ledgerPending.toString(),
          providerPending: input.programBalance.pending.minor.toString(),
          providerAsOf: input.programBalance.asOf,
        },
        detail:
          `provider:prefund:USD posted ${ledgerTotal}, pending ${ledgerPending}; the provider's program balance ` +
          `${input.programBalance.total.minor}, pending ${input.programBalance.pending.minor}`,
      }),
    );
  return findings;
}

function cardBalanceFindings(
  input: ProviderComparisonInput,
  cardByToken: ReadonlyMap<string, IssuedCard>,
  movingCards: ReadonlySet<string>,
  recentLoadCards: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const providerCard of input.providerCards) {
    seen.add(providerCard.token);
    const card = cardByToken.get(providerCard.token);
    if (!card) {
      findings.push(
        difference({
          comparison: 'provider',
          kind: 'provider_card_unknown',
          asset,
          ledgerMinor: null,
          otherMinor: providerCard.balance.settled.minor,
          objects: { providerToken: providerCard.token },
          detail: `the provider has card ${providerCard.token}, which no card of ours names`,
        }),
      );
      continue;
    }
    const totals = card.ledgerAccountId === null ? undefined : input.cardAccounts.get(card.ledgerAccountId);
    const settled = totals ? totals.creditsPosted - totals.debitsPosted : 0n;
    const pending = totals ? totals.debitsPending : 0n;
    const moving = movingCards.has(providerCard.token) || recentLoadCards.has(providerCard.token);
    const objects = { cardId: card.cardId, providerToken: card.providerToken, userId: card.userId };
    if (settled !== providerCard.balance.settled.minor)
      findings.push(
        (moving ? inFlight : difference)({
          comparison: 'provider',
          kind: moving ? 'card_balance_moving' : 'card_balance_differs',
          asset,
          ledgerMinor: settled,
          otherMinor: providerCard.balance.settled.minor,
          objects,
          detail: `card ${card.cardId}: settled ${providerCard.balance.settled.minor} at the provider, ${settled} in the ledger`,
        }),
      );
    if (pending !== providerCard.balance.pending.minor)
      findings.push(
        (moving ? inFlight : difference)({
          comparison: 'provider',
          kind: moving ? 'card_pending_moving' : 'card_pending_differs',
          asset,
          ledgerMinor: pending,
          otherMinor: providerCard.balance.pending.minor,
          objects,
          detail: `card ${card.cardId}: pending ${providerCard.balance.pending.minor} at the provider, ${pending} in the ledger`,
        }),
      );
  }
  for (const card of cardByToken.values())
    if (!seen.has(card.providerToken))
      findings.push(
        difference({
          comparison: 'provider',
          kind: 'card_unknown_to_provider',
          asset,
          ledgerMinor: null,
          otherMinor: null,
          objects: { cardId: card.cardId, providerToken: card.providerToken, userId: card.userId },
          detail: `card ${card.cardId} (${card.providerToken}) is not in the provider's list of cards`,
        }),
      );
  return findings;
}

function transactionFindings(
  input: ProviderComparisonInput,
  cardByToken: ReadonlyMap<string, IssuedCard>,
  cardById: ReadonlyMap<string, IssuedCard>,
  recent: (at: string | null) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  const ours = new Map(input.transactions.map((row) => [row.providerTransactionId, row]));
  const seen = new Set<string>();
  for (const txn of input.providerTransactions) {
    seen.add(txn.token);
    const row = ours.get(txn.token);
    const card = cardByToken.get(txn.cardToken);
    const objects = {
      providerTransactionId: txn.token,
      providerToken: txn.cardToken,
      ...(card ? { cardId: card.cardId } : {}),
      status: txn.status,
    };
    const settled = txn.settledAmount.minor;
    const pending = txn.pendingAmount.minor;
    const moving = recent(txn.lastEventAt);
    if (!row) {
      // A declined authorization or a balance inquiry moves nothing: there is nothing for the ledger to know.
      if (settled === 0n && pending === 0n && txn.status !== 'PENDING') continue;
      findings.push(
        (moving ? inFlight : difference)({
          comparison: 'provider',
          kind: moving ? 'provider_transaction_not_yet_seen' : 'provider_transaction_not_seen',
          asset,
          ledgerMinor: null,
          otherMinor: settled,
          objects: { ...objects, providerPending: pending.toString() },
          detail: `provider transaction ${txn.token} (settled ${settled}, pending ${pending}) is unknown to card_transaction`,
        }),
      );
      continue;
    }
    const ledgerSettled = row.debitedMinor - row.creditedMinor;
    if (ledgerSettled !== settled || row.pendingDebitMinor !== pending) {
      findings.push(
        (moving ? inFlight : difference)({
          comparison: 'provider',
          kind: moving ? 'transaction_amounts_moving' : 'transaction_amounts_differ',
          asset,
          ledgerMinor: ledgerSettled,
          otherMinor: settled,
          objects: {
            ...objects,
            ledgerPending: row.pendingDebitMinor.toString(),
            providerPending: pending.toString(),
          },
          detail:
            `provider transaction ${txn.token}: settled ${settled} and pending ${pending} at the provider, ` +
            `${ledgerSettled} and ${row.pendingDebitMinor} in card_transaction`,
        }),
      );
      continue;
    }
    if (pending > 0n)
      findings.push(
        inFlight({
          comparison: 'provider',
          kind: 'authorization_not_cleared',
          asset,
          ledgerMinor: row.pendingDebitMinor,
          otherMinor: pending,
          objects,
          detail: `provider transaction ${txn.token} holds ${pending} until it clears, is reversed or expires`,
        }),
      );
  }
  for (const row of input.transactions)
    if (!seen.has(row.providerTransactionId))
      findings.push(
        difference({
          comparison: 'provider',
          kind: 'transaction_unknown_to_provider',
          asset,
          ledgerMinor: row.debitedMinor - row.creditedMinor,
          otherMinor: null,
          objects: {
            providerTransactionId: row.providerTransactionId,
            cardId: row.cardId,
            ...(cardById.has(row.cardId) ? { providerToken: cardById.get(row.cardId)!.providerToken } : {}),
          },
          detail: `card_transaction ${row.providerTransactionId} is not in the provider's list of transactions`,
        }),
      );
  return findings;
}

function loadFindings(
  input: ProviderComparisonInput,
  cardById: ReadonlyMap<string, IssuedCard>,
  recent: (at: string | null) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  const loadsById = new Map(input.loads.map((load) => [load.loadId, load]));
  const postsByLoad = new Map(input.loadPosts.map((post) => [post.loadId, post]));
  const providerByLoadId = new Map<string, ProviderLoad>();
  for (const providerLoad of input.providerLoads) {
    const loadId = loadIdOfProviderKey(providerLoad.idempotencyKey);
    if (loadId !== undefined) providerByLoadId.set(loadId, providerLoad);
    const load = loadId === undefined ? undefined : loadsById.get(loadId);
    const post = loadId === undefined ? undefined : postsByLoad.get(loadId);
    const objects = {
      providerLoadToken: providerLoad.token,
      providerToken: providerLoad.cardToken,
      idempotencyKey: providerLoad.idempotencyKey,
      ...(loadId === undefined ? {} : { loadId }),
      ...(load ? { cardId: load.cardId } : {}),
    };
    const amount = providerLoad.amount.minor;
    if (!load || load.status !== 'loaded' || !post) {
      const moving = recent(providerLoad.createdAt) && load !== undefined;
      findings.push(
        (moving ? inFlight : difference)({
          comparison: 'provider',
          kind: moving ? 'load_in_progress' : 'provider_load_not_posted',
          asset,
          ledgerMinor: post?.amountMinor ?? null,
          otherMinor: amount,
          objects: {
            ...objects,
            cardLoad: load ? load.status : 'none',
            ledgerPost: post ? post.transferId : 'none',
          },
          detail:
            `provider load ${providerLoad.token} of ${amount} (key ${providerLoad.idempotencyKey}) has ` +
            `${load ? `card_load ${load.status}` : 'no card_load'} and ${post ? `ledger post ${post.transferId}` : 'no ledger post'}`,
        }),
      );
      continue;
    }
    if (post.amountMinor !== amount)
      findings.push(
        difference({
          comparison: 'provider',
          kind: 'load_amount_differs',
          asset,
          ledgerMinor: post.amountMinor,
          otherMinor: amount,
          objects: { ...objects, ledgerTransferId: post.transferId },
          detail: `load ${load.loadId}: ${amount} at the provider, ${post.amountMinor} posted in the ledger`,
        }),
      );
  }
  const postedLoadIds = new Set([
    ...input.loads.filter((load) => load.status === 'loaded').map((load) => load.loadId),
    ...postsByLoad.keys(),
  ]);
  for (const loadId of postedLoadIds) {
    if (providerByLoadId.has(loadId)) continue;
    const load = loadsById.get(loadId);
    const post = postsByLoad.get(loadId);
    const card = load ? cardById.get(load.cardId) : undefined;
    findings.push(
      difference({
        comparison: 'provider',
        kind: 'posted_load_unknown_to_provider',
        asset,
        ledgerMinor: post?.amountMinor ?? load?.netUsdMinor ?? null,
        otherMinor: null,
        objects: {
          loadId,
          ...(load ? { cardId: load.cardId, cardLoad: load.status } : { cardLoad: 'none' }),
          ...(card ? { providerToken: card.providerToken } : {}),
          ...(load?.providerLoadToken ? { providerLoadToken: load.providerLoadToken } : {}),
          ledgerPost: post ? post.transferId : 'none',
        },
        detail: `load ${loadId} is posted (${post ? `ledger ${post.transferId}` : `card_load ${load?.status ?? 'none'}`}) but the provider has no load with key load:${loadId}`,
      }),
    );
  }
  return findings;
}
