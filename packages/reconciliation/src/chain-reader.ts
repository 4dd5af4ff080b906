// Reads the chain side through packages/tron's node client: the head and the solidified block, USDT transfers to our
// addresses block by block (header and transaction info, as the watcher reads them, but on its own: a block the
// watcher skipped is read here all the same), and each address's USDT balance with `balanceOf`. Every read is
// bounded: blocks and balances `concurrencyMax` at a time, each retried at most `attemptsMax` times with a doubling
// wait (a node's Retry-After is honoured up to `backoffMsMax`).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  balancesHoldersMax,
  blockNumberOf,
  decodeTransfers,
  parseTronAddress,
  TronNodeError,
  type TronAddress,
  type TronNodeClient,
} from '@cardgate/tron';
import type { ChainTransfer } from './compare-chain.ts';

export interface ChainReaderOptions {
  readonly client: TronNodeClient;
  /** The USDT contract, in any address form. */
  readonly tokenContract: string;
  readonly concurrencyMax: number;
  readonly attemptsMax: number;
  readonly backoffMsMax: number;
  /**
   * A balance-checker contract (`balances(address[],address[])`): balances are read 500 addresses a call instead of
   * one; without it, one `balanceOf` per address.
   */
  readonly balanceChecker?: string;
}

export interface ChainPosition {
  readonly headBlock: number;
  readonly solidifiedBlock: number;
  readonly solidifiedHash: string;
}

/** Runs `work` over `count` items, at most `lanes` at a time, reporting each finished item. */
export async function inLanes(
  count: number,
  lanes: number,
  work: (index: number) => Promise<void>,
  onDone?: () => void,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await work(index);
      onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, count)) }, lane));
}

export function createChainReader(options: ChainReaderOptions) {
  const { client } = options;
  const token: TronAddress = parseTronAddress(options.tokenContract);

  async function withRetries<T>(what: string, read: () => Promise<T>): Promise<T> {
    let waitMs = 100;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await read();
      } catch (error) {
        const retryable =
          error instanceof TronNodeError &&
          (error.kind === 'rate_limited' ||
            error.kind === 'server_error' ||
            error.kind === 'timeout' ||
            error.kind === 'network');
        if (!retryable || attempt >= options.attemptsMax)
          throw new Error(`${what}: ${(error as Error).message} (attempt ${attempt})`, { cause: error });
        const askedMs = error instanceof TronNodeError ? error.retryAfterMs : undefined;
        await sleep(Math.min(askedMs ?? waitMs, options.backoffMsMax));
        waitMs = Math.min(waitMs * 2, options.backoffMsMax);
      }
    }
  }

  return {
    async position(): Promise<ChainPosition> {
      // The solidified block first: a head read after it is at or above it.
      const solidified = await withRetries('solidified block', () => client.latestSolidifiedHeader());
      const head = await withRetries('head block', () => client.latestHeader());
      return {
        headBlock: blockNumberOf(head),
        solidifiedBlock: blockNumberOf(solidified),
        solidifiedHash: solidified.blockID,
      };
    },

    async blockHash(number: number): Promise<string | undefined> {
      return (await withRetries(`block ${number}`, () => client.blockHeader(number)))?.blockID;
    },

    /** USDT transfers to `ours` (20-byte hex ids) in blocks [from, to], in block order. */
    async transfersTo(
      ours: ReadonlyMap<string, string>,
      fromBlock: number,
      toBlock: number,
      onBlock?: () => void,
    ): Promise<ChainTransfer[]> {
      const count = Math.max(0, toBlock - fromBlock + 1);
      const perBlock: ChainTransfer[][] = new Array<ChainTransfer[]>(count);
      await inLanes(
        count,
        options.concurrencyMax,
        async (index) => {
          const number = fromBlock + index;
          const infos = await withRetries(`transaction info of block ${number}`, () =>
            client.transactionInfoByBlock(number),
          );
          const found: ChainTransfer[] = [];
          for (const info of infos)
            for (const transfer of decodeTransfers(info, token)) {
              const toHex41 = ours.get(transfer.toHex20);
              if (toHex41 === undefined) continue;
              found.push({
                txId: transfer.txId,
                logIndex: transfer.logIndex,
                toHex41,
                fromHex41: `41${transfer.fromHex20}`,
                amountMinor: transfer.amountMinor,
                blockNumber: number,
              });
            }
          perBlock[index] = found;
        },
        onBlock,
      );
      return perBlock.flat();
    },

    /** USDT balance of each address (hex41), at the node's head; an address whose reads all failed is left out. */
    async balances(
      addresses: readonly { readonly hex41: string; readonly base58: string }[],
      onAddresses?: (count: number) => void,
    ): Promise<{ balances: Map<string, bigint>; failed: number }> {
      const balances = new Map<string, bigint>();
      let failed = 0;
      // The addresses as stored (both forms known): no base58check encoding per call.
      const holderOf = (entry: { hex41: string; base58: string }): TronAddress => ({
        hex41: entry.hex41,
        hex20: entry.hex41.slice(2),
        base58: entry.base58,
      });
      const checker =
        options.balanceChecker === undefined ? undefined : parseTronAddress(options.balanceChecker);
      const perCall = checker ? balancesHoldersMax : 1;
      const calls = Math.ceil(addresses.length / perCall);
      await inLanes(calls, options.concurrencyMax, async (index) => {
        const chunk = addresses.slice(index * perCall, (index + 1) * perCall);
        const holders = chunk.map(holderOf);
        try {
          const values = checker
            ? await withRetries(`balances of ${chunk.length} addresses`, () =>
                client.tokenBalancesOf(checker, token, holders),
              )
            : [
                await withRetries(`balance of ${chunk[0]!.base58}`, () =>
                  client.tokenBalanceOf(token, holders[0]!),
                ),
              ];
          chunk.forEach((entry, position) => balances.set(entry.hex41, values[position]!));
        } catch {
          failed += chunk.length;
        }
        onAddresses?.(chunk.length);
      });
      return { balances, failed };
    },
  };
}

export type ChainReader = ReturnType<typeof createChainReader>;
