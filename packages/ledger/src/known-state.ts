// What one ledger instance knows of the database between batches: the accounts its batches read or wrote, with their
// totals as of its last batch, and the pending transfers it knows to be open. A batch is planned from this and sent with it as
// its assumptions, which ledger_apply_batch checks under the accounts' locks: knowledge that another process has made
// out of date costs a round trip (the database answers with the current state), never a wrong write. Bounded: the
// oldest entries go first.
import type { AccountState } from './engine.ts';
import type { BatchNeeds, LoadedBatch } from './store.ts';
import type { Transfer } from './types.ts';

export interface KnownStateOptions {
  readonly accountsMax: number;
  readonly pendingMax: number;
}

/** A batch's view: the engine's input, complete only when every account and pending transfer the batch names is in it. */
export interface BatchView extends LoadedBatch {
  readonly complete: boolean;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, sizeMax: number): void {
  map.delete(key); // re-inserted last: the most recently used entry is evicted last
  map.set(key, value);
  if (map.size > sizeMax) map.delete(map.keys().next().value!);
}

export function createKnownState(options: KnownStateOptions) {
  const accounts = new Map<bigint, AccountState>();
  /** Pending transfers open as far as this ledger knows; forgotten once resolved. */
  const open = new Map<string, Transfer>();

  function viewFor(needs: BatchNeeds): BatchView {
    const viewAccounts = new Map<bigint, AccountState>();
    const existing = new Map<string, Transfer>();
    const accountIds = [...needs.accountIds];
    for (const id of [...needs.transferIds, ...needs.pendingIds]) {
      const pending = open.get(id);
      if (!pending) continue;
      existing.set(id, pending);
      accountIds.push(pending.debitAccountId, pending.creditAccountId);
    }
    let complete = needs.pendingIds.every((id) => existing.has(id));
    for (const id of accountIds) {
      const account = accounts.get(id);
      if (account) viewAccounts.set(id, account);
      else complete = false;
    }
    return { accounts: viewAccounts, existing, resolutions: new Map(), complete };
  }

  return {
    viewFor,

    /** Learns a state read from the database for `needs`: what it holds, and what it shows not to exist or to be resolved. */
    learnLoaded(needs: BatchNeeds, loaded: LoadedBatch): void {
      for (const id of needs.accountIds) if (!loaded.accounts.has(id)) accounts.delete(id);
      for (const [id, account] of loaded.accounts) remember(accounts, id, account, options.accountsMax);
      for (const [id, transfer] of loaded.existing)
        if (transfer.kind === 'pending' && !loaded.resolutions.has(id))
          remember(open, id, transfer, options.pendingMax);
      for (const id of needs.pendingIds)
        if (!loaded.existing.has(id) || loaded.resolutions.has(id)) open.delete(id);
    },

    /** Learns a committed batch: its accounts as it left them, the pending transfers it opened and resolved. */
    learnWritten(
      accountsAfter: Iterable<AccountState>,
      opened: Iterable<Transfer>,
      resolvedIds: Iterable<string>,
    ): void {
      for (const account of accountsAfter) remember(accounts, account.id, account, options.accountsMax);
      for (const transfer of opened) remember(open, transfer.id, transfer, options.pendingMax);
      for (const id of resolvedIds) open.delete(id);
    },

    /** Forgets what a batch whose outcome is unknown (a failed call) named. */
    forget(needs: BatchNeeds): void {
      for (const id of needs.accountIds) accounts.delete(id);
      for (const id of [...needs.transferIds, ...needs.pendingIds]) {
        const pending = open.get(id);
        if (pending) {
          accounts.delete(pending.debitAccountId);
          accounts.delete(pending.creditAccountId);
        }
        open.delete(id);
      }
    },

    clear(): void {
      accounts.clear();
      open.clear();
    },

    get size() {
      return { accounts: accounts.size, open: open.size };
    },
  };
}

export type KnownState = ReturnType<typeof createKnownState>;
