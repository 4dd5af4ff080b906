// What the watcher tells a deposit's owner live (GET /v1/events), added around its parts without changing them:
// - the outbox hand-over, once Temporal has accepted a `seen` or `orphaned` event, publishes `deposit.seen` or
//   `deposit.orphaned` to the owner's event stream (the address's owner from packages/deposit-addresses);
// - the follower, after a step that moved the head, announces `deposit.confirmations` for each deposit seen and not
//   final yet. Announced only (no stream entry): the next block supersedes it, so a resuming client needs none.
// Best effort throughout: a live event never holds up the chain or a deposit's hand-over (a failure is logged), and a
// repeated hand-over publishes an event with the same key, which the client ignores. Credited and held come from the
// worker, with the notification.
import type { Logger } from '@cardgate/config';
import type { DepositEvent } from '@cardgate/contracts';
import { depositEventAmount } from '@cardgate/contracts/deposit-event';
import { userEventMoney } from '@cardgate/contracts/user-event';
import type { UserEventPublisher } from '@cardgate/user-events';
import type { ConfirmingDeposit } from '@cardgate/deposit-store';
import type { FinalityRule } from './finality.ts';
import type { StepResult } from './follower.ts';
import type { DepositHandOver } from './outbox-dispatcher.ts';

/** Deposits whose confirmations are announced per step: the newest ones, if ever more are confirming at once. */
export const confirmingDepositsAnnouncedMax = 1_000;
/** Address owners remembered (an address never changes owner); the map is emptied when full. */
const ownersRememberedMax = 10_000;

export interface DepositUserEventsDependencies {
  readonly publisher: UserEventPublisher;
  /** The user who owns a deposit address, or null (packages/deposit-addresses `findOwner`). */
  readonly findOwner: (address: string) => Promise<string | null>;
  readonly logger: Logger;
}

export function createDepositUserEvents(dependencies: DepositUserEventsDependencies) {
  const { publisher, logger } = dependencies;
  const owners = new Map<string, string>();
  const ownerOf = async (address: string): Promise<string | null> => {
    const known = owners.get(address);
    if (known !== undefined) return known;
    const owner = await dependencies.findOwner(address);
    if (owner === null) return null;
    if (owners.size >= ownersRememberedMax) owners.clear();
    owners.set(address, owner);
    return owner;
  };

  async function publishHandedOver(event: DepositEvent): Promise<void> {
    if (event.event === 'final') return;
    const owner = await ownerOf(event.to);
    if (owner === null) return;
    const deposit = { txId: event.txId, logIndex: event.logIndex };
    const tail = `${event.txId}:${event.logIndex}:${event.sequence}`;
    await (event.event === 'seen'
      ? publisher.publish(owner, {
          key: `deposit-seen:${tail}`,
          kind: 'deposit.seen',
          data: { ...deposit, amount: userEventMoney(depositEventAmount(event)) },
        })
      : publisher.publish(owner, {
          key: `deposit-orphaned:${tail}`,
          kind: 'deposit.orphaned',
          data: deposit,
        }));
  }

  async function announceConfirmations(
    deposits: readonly ConfirmingDeposit[],
    headNumber: number,
    confirmationsNeeded: number,
  ): Promise<void> {
    for (const deposit of deposits) {
      const owner = await ownerOf(deposit.to);
      if (owner === null) continue;
      const confirmations = Math.max(0, headNumber - deposit.blockNumber + 1);
      await publisher.announce(owner, {
        key: `deposit-confirmations:${deposit.txId}:${deposit.logIndex}:${confirmations}`,
        kind: 'deposit.confirmations',
        data: { txId: deposit.txId, logIndex: deposit.logIndex, confirmations, confirmationsNeeded },
      });
    }
  }

  return {
    /** The hand-over, publishing `deposit.seen` / `deposit.orphaned` after Temporal accepted the event. */
    handOver(inner: DepositHandOver): DepositHandOver {
      return {
        async handOver(event) {
          await inner.handOver(event);
          await publishHandedOver(event).catch((error: unknown) =>
            logger.warn(
              { err: error, txId: event.txId, logIndex: event.logIndex },
              'deposit event not published',
            ),
          );
        },
      };
    },

    /** The follower, announcing confirmations after each step that moved the head. */
    follower<F extends { step(): Promise<StepResult> }>(
      inner: F,
      options: {
        readonly finality: FinalityRule;
        readonly confirmingDeposits: (countMax: number) => Promise<ConfirmingDeposit[]>;
      },
    ): F {
      let announcedHead = -1;
      const step = async (): Promise<StepResult> => {
        const result = await inner.step();
        if (result.headNumber === announcedHead) return result;
        announcedHead = result.headNumber;
        try {
          const deposits = await options.confirmingDeposits(confirmingDepositsAnnouncedMax);
          await announceConfirmations(
            deposits,
            result.headNumber,
            confirmationsNeeded(options.finality, result),
          );
        } catch (error) {
          logger.warn({ err: error }, 'deposit confirmations not announced');
        }
        return result;
      };
      return { ...inner, step };
    },
  };
}

/**
 * Confirmations (the deposit's block and those after it) at which the watcher makes a deposit final: with a fixed
 * count, that count and one; with `solidified`, how far the solidified block trails the head at this step.
 */
export function confirmationsNeeded(finality: FinalityRule, step: StepResult): number {
  if (finality.kind === 'confirmations') return finality.blocks + 1;
  return Math.max(1, step.headNumber - step.solidifiedNumber + 1);
}
