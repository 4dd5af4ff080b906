// The chain against the ledger, pure: given the final USDT transfers to our addresses (read from the chain's blocks
// at or below the solidified block), the transfers above it, each address's on-chain balance, the ledger's deposit
// entries and the treasury account as of one journal point, it finds
// - a final transfer with no ledger effect (never credited), or with more than one (credited twice), or another amount,
// - a deposit credit with no final transfer on chain,
// - an address whose on-chain USDT is not what the ledger says it received (no sweeps exist yet, so nothing left),
// - a treasury account that is not the sum over the addresses,
// and lists as in flight what will settle by itself: transfers not yet final, final ones younger than the credit
// grace (the watcher and the worker take seconds to credit), and addresses whose balance moved while it was read.
import type { JournalEntry, Totals } from '@cardgate/ledger';
import { difference, inFlight, type Finding } from './findings.ts';

export interface ChainTransfer {
  readonly txId: string;
  readonly logIndex: number;
  /** TRON hex form, `41` + 20 bytes. */
  readonly toHex41: string;
  readonly fromHex41: string;
  readonly amountMinor: bigint;
  readonly blockNumber: number;
}

export interface OurAddress {
  readonly userId: string;
  readonly hex41: string;
  readonly base58: string;
}

/** A deposit's effect in the ledger: its credit (`deposit:<tx>:<log>`, posted or pending for review) and its fate. */
export interface DepositEffect {
  readonly transferId: string;
  readonly txId: string;
  readonly logIndex: number;
  readonly userId: string;
  readonly amountMinor: bigint;
  /** credited (posted), held (pending review), released (posted after review), rejected (voided or expired). */
  readonly state: 'credited' | 'held' | 'released' | 'rejected';
}

/** The ledger codes of a deposit's credit: posted at once, or pending for review (deposit activities). */
export const depositCreditCodes = ['deposit', 'deposit_review'] as const;

const effectKey = (txId: string, logIndex: number): string => `${txId}:${logIndex}`;

/**
 * Deposit effects from journal entries of the deposit codes. An entry names its deposit in its metadata (txId,
 * logIndex, userId), which every credit has carried since the first; an entry without them is a credit of nothing on
 * chain and is reported as such with its transfer id.
 */
export function depositEffectsOf(entries: readonly JournalEntry[]): DepositEffect[] {
  const effects: DepositEffect[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'posted' && entry.kind !== 'pending') continue;
    const { txId, logIndex, userId } = entry.metadata;
    const state =
      entry.kind === 'posted'
        ? 'credited'
        : entry.resolvedAs === null
          ? 'held'
          : entry.resolvedAs === 'post_pending'
            ? 'released'
            : 'rejected';
    effects.push({
      transferId: entry.id,
      txId: typeof txId === 'string' ? txId : '',
      logIndex: typeof logIndex === 'number' ? logIndex : -1,
      userId: typeof userId === 'string' ? userId : '',
      amountMinor: entry.amountMinor,
      state,
    });
  }
  return effects;
}

export interface ChainComparisonInput {
  /** Final transfers to our addresses, at or below `solidifiedBlock`. */
  readonly finalTransfers: readonly ChainTransfer[];
  /** Transfers to our addresses above `solidifiedBlock`, up to the last head read. */
  readonly recentTransfers: readonly ChainTransfer[];
  readonly solidifiedBlock: number;
  /** A final transfer in a block above solidifiedBlock − this, with no credit yet, is in flight, not a difference. */
  readonly creditGraceBlocks: number;
  readonly addresses: readonly OurAddress[];
  /** On-chain balance per address (hex41), read at the head; an address missing here was not read. */
  readonly balances: ReadonlyMap<string, bigint>;
  /** Addresses (hex41) that received a transfer while balances were being read: their balance may include it or not. */
  readonly movingAddresses: ReadonlySet<string>;
  readonly effects: readonly DepositEffect[];
  /** The ledger's treasury:tron:USDT totals at the as-of point (undefined when the account does not exist yet). */
  readonly treasury: Totals | undefined;
  /** The command that re-reads a block range, for findings an operator can act on. */
  readonly rescanHint: (fromBlock: number, toBlock: number) => string;
}

const asset = 'USDT';

export function chainFindings(input: ChainComparisonInput): Finding[] {
  const findings: Finding[] = [];
  const byAddress = new Map(input.addresses.map((address) => [address.hex41, address]));
  const addressOfUser = new Map(input.addresses.map((address) => [address.userId, address]));
  const effectsByKey = new Map<string, DepositEffect[]>();
  for (const effect of input.effects) {
    const key = effectKey(effect.txId, effect.logIndex);
    const list = effectsByKey.get(key);
    if (list) list.push(effect);
    else effectsByKey.set(key, [effect]);
  }
  const base58Of = (hex41: string): string => byAddress.get(hex41)?.base58 ?? hex41;
  const objectsOf = (transfer: ChainTransfer): Record<string, string> => ({
    txId: transfer.txId,
    logIndex: String(transfer.logIndex),
    address: base58Of(transfer.toHex41),
    block: String(transfer.blockNumber),
  });

  /** What each address holds on chain beyond the ledger's effects, because it is not credited yet (in flight). */
  const notYetInLedger = new Map<string, bigint>();
  const addNotYetInLedger = (transfer: ChainTransfer): void => {
    notYetInLedger.set(transfer.toHex41, (notYetInLedger.get(transfer.toHex41) ?? 0n) + transfer.amountMinor);
  };
  // Effects are taken out of `effectsByKey` as transfers claim them: what is left has no transfer on chain.
  for (const transfer of input.finalTransfers) {
    const key = effectKey(transfer.txId, transfer.logIndex);
    const effects = effectsByKey.get(key) ?? [];
    effectsByKey.delete(key);
    // The common case, one effect of the same amount to the right user, builds nothing.
    const only = effects.length === 1 ? effects[0]! : undefined;
    if (
      only !== undefined &&
      only.amountMinor === transfer.amountMinor &&
      byAddress.get(transfer.toHex41)?.userId === only.userId
    )
      continue;
    const objects = objectsOf(transfer);
    if (effects.length === 0) {
      if (transfer.blockNumber > input.solidifiedBlock - input.creditGraceBlocks) {
        addNotYetInLedger(transfer);
        findings.push(
          inFlight({
            comparison: 'chain',
            kind: 'final_deposit_not_yet_credited',
            asset,
            ledgerMinor: null,
            otherMinor: transfer.amountMinor,
            objects,
            detail: `final transfer ${key} to ${objects.address} in block ${transfer.blockNumber} is within the credit grace`,
          }),
        );
        continue;
      }
      findings.push(
        difference({
          comparison: 'chain',
          kind: 'final_deposit_not_credited',
          asset,
          ledgerMinor: null,
          otherMinor: transfer.amountMinor,
          objects: { ...objects, rescan: input.rescanHint(transfer.blockNumber, transfer.blockNumber) },
          detail:
            `final transfer ${key} of ${transfer.amountMinor} to ${objects.address} in block ${transfer.blockNumber} ` +
            `has no ledger effect; if the watcher never recorded it, ${input.rescanHint(transfer.blockNumber, transfer.blockNumber)} finds it`,
        }),
      );
      continue;
    }
    const ledgerTotal = effects.reduce((sum, effect) => sum + effect.amountMinor, 0n);
    if (effects.length > 1) {
      findings.push(
        difference({
          comparison: 'chain',
          kind: 'deposit_credited_more_than_once',
          asset,
          ledgerMinor: ledgerTotal,
          otherMinor: transfer.amountMinor,
          objects: { ...objects, ledgerTransferIds: effects.map((effect) => effect.transferId).join(',') },
          detail: `transfer ${key} has ${effects.length} ledger effects (${effects.map((effect) => effect.transferId).join(', ')})`,
        }),
      );
      continue;
    }
    const effect = effects[0]!;
    if (effect.amountMinor !== transfer.amountMinor)
      findings.push(
        difference({
          comparison: 'chain',
          kind: 'deposit_amount_differs',
          asset,
          ledgerMinor: effect.amountMinor,
          otherMinor: transfer.amountMinor,
          objects: { ...objects, ledgerTransferId: effect.transferId },
          detail: `transfer ${key}: ledger ${effect.amountMinor}, chain ${transfer.amountMinor}`,
        }),
      );
    const owner = byAddress.get(transfer.toHex41);
    if (owner && owner.userId !== effect.userId)
      findings.push(
        difference({
          comparison: 'chain',
          kind: 'deposit_credited_to_another_user',
          asset,
          ledgerMinor: effect.amountMinor,
          otherMinor: transfer.amountMinor,
          objects: {
            ...objects,
            ledgerTransferId: effect.transferId,
            userId: owner.userId,
            creditedUserId: effect.userId,
          },
          detail: `transfer ${key} to ${owner.userId}'s address is credited to ${effect.userId}`,
        }),
      );
  }

  for (const transfer of input.recentTransfers) {
    const key = effectKey(transfer.txId, transfer.logIndex);
    const effects = effectsByKey.get(key);
    effectsByKey.delete(key);
    if (!effects) addNotYetInLedger(transfer);
    findings.push(
      inFlight({
        comparison: 'chain',
        kind: 'deposit_not_final',
        asset,
        ledgerMinor: effects?.reduce((sum, effect) => sum + effect.amountMinor, 0n) ?? null,
        otherMinor: transfer.amountMinor,
        objects: objectsOf(transfer),
        detail: `transfer ${key} to ${base58Of(transfer.toHex41)} in block ${transfer.blockNumber} is above the solidified block ${input.solidifiedBlock}`,
      }),
    );
  }

  for (const effect of [...effectsByKey.values()].flat()) {
    const key = effectKey(effect.txId, effect.logIndex);
    findings.push(
      difference({
        comparison: 'chain',
        kind: 'credit_without_transfer_on_chain',
        asset,
        ledgerMinor: effect.amountMinor,
        otherMinor: null,
        objects: {
          ledgerTransferId: effect.transferId,
          txId: effect.txId,
          logIndex: String(effect.logIndex),
          userId: effect.userId,
          ...(addressOfUser.has(effect.userId) ? { address: addressOfUser.get(effect.userId)!.base58 } : {}),
        },
        detail: `ledger transfer ${effect.transferId} credits ${effect.amountMinor} for ${key}, which is no final USDT transfer to our addresses`,
      }),
    );
  }

  findings.push(...addressFindings(input, byAddress, notYetInLedger));
  return findings;
}

/** Per address: on-chain USDT against what the ledger says it received (every credit, held or rejected ones too). */
function addressFindings(
  input: ChainComparisonInput,
  byAddress: ReadonlyMap<string, OurAddress>,
  notYetInLedger: ReadonlyMap<string, bigint>,
): Finding[] {
  const findings: Finding[] = [];
  const addressOfUser = new Map(input.addresses.map((address) => [address.userId, address.hex41]));
  const received = new Map<string, bigint>();
  let rejectedMinor = 0n;
  for (const effect of input.effects) {
    const hex41 = addressOfUser.get(effect.userId);
    if (hex41 !== undefined) received.set(hex41, (received.get(hex41) ?? 0n) + effect.amountMinor);
    // A rejected deposit stays on its address; the treasury no longer counts it.
    if (effect.state === 'rejected') rejectedMinor += effect.amountMinor;
  }
  let chainSum = 0n;
  let inFlightSum = 0n;
  let unread = 0;
  for (const [hex41, address] of byAddress) {
    const onChain = input.balances.get(hex41);
    if (onChain === undefined) {
      unread += 1;
      continue;
    }
    chainSum += onChain;
    const pendingMinor = notYetInLedger.get(hex41) ?? 0n;
    inFlightSum += pendingMinor;
    const ledgerMinor = (received.get(hex41) ?? 0n) + pendingMinor;
    if (ledgerMinor === onChain) continue;
    const objects = { address: address.base58, userId: address.userId };
    const moving = input.movingAddresses.has(hex41);
    findings.push(
      (moving ? inFlight : difference)({
        comparison: 'chain',
        kind: moving ? 'address_balance_moving' : 'address_balance_differs',
        asset,
        ledgerMinor,
        otherMinor: onChain,
        objects,
        detail: moving
          ? `${address.base58} received a transfer while its balance was read`
          : `${address.base58} (${address.userId}) holds ${onChain} on chain; the ledger says it received ${ledgerMinor}` +
            (pendingMinor > 0n ? ` (${pendingMinor} of it not final or not credited yet)` : ''),
      }),
    );
  }
  if (unread > 0)
    findings.push(
      difference({
        comparison: 'chain',
        kind: 'address_balances_unread',
        asset,
        ledgerMinor: null,
        otherMinor: null,
        objects: { addresses: String(unread) },
        detail: `${unread} addresses' balances could not be read within the retries; they and the treasury are not compared`,
      }),
    );
  const treasury = input.treasury;
  const treasuryMinor = treasury
    ? treasury.debitsPosted - treasury.creditsPosted + treasury.debitsPending - treasury.creditsPending
    : 0n;
  const chainSide = chainSum - rejectedMinor - inFlightSum;
  if (unread === 0 && treasuryMinor !== chainSide)
    findings.push(
      (input.movingAddresses.size > 0 ? inFlight : difference)({
        comparison: 'chain',
        kind: input.movingAddresses.size > 0 ? 'treasury_moving' : 'treasury_differs',
        asset,
        ledgerMinor: treasuryMinor,
        otherMinor: chainSide,
        objects: { account: 'treasury:tron:USDT', addresses: String(byAddress.size) },
        detail:
          `treasury:tron:USDT holds ${treasuryMinor} (posted and pending); our ${byAddress.size} addresses hold ${chainSum} on chain, ` +
          `less ${rejectedMinor} rejected and ${inFlightSum} not yet final or credited: ${chainSide}`,
      }),
    );
  return findings;
}
