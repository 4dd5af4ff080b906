// The devnet's chain: blocks with TRON-shaped ids (8-byte number + hash tail) linked by parent hashes, USDT
// (TRC-20) transfers recorded as Transfer logs in transaction info, a solidified head trailing the head, and the
// faults the watcher must survive: reorgs (a transfer vanishes or moves), failed transfers, a look-alike token,
// several transfers in one transaction.
import { createHash, randomBytes } from 'node:crypto';
import { addressToWord, parseTronAddress, transferTopic, type TronAddress } from '@cardgate/tron';
import { appendSyntheticBlocks, type SyntheticLoad } from './synthetic.ts';

export const mainnetUsdtContract = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
/** A look-alike token: same name, symbol and decimals, another contract. */
export const fakeUsdtContract = parseTronAddress('41' + 'f0'.repeat(20)).base58;
const witnessAddress = '41' + '5a'.repeat(20);

export interface DevnetTransferSpec {
  readonly to: string;
  readonly amountMinor: bigint;
  readonly from?: string;
}

export interface DevnetTransaction {
  readonly txID: string;
  readonly contract: TronAddress;
  readonly owner: TronAddress;
  readonly transfers: readonly { from: TronAddress; to: TronAddress; amountMinor: bigint }[];
  readonly failure: 'OUT_OF_ENERGY' | 'REVERT' | undefined;
  /** A signed client transaction: executed against balances when its block is produced (REVERT if short). */
  readonly checked?: boolean;
}

export interface DevnetBlock {
  readonly number: number;
  readonly blockID: string;
  readonly parentHash: string;
  readonly timestampMs: number;
  readonly transactions: readonly DevnetTransaction[];
  /** Benchmark filler: not counted in balances. */
  readonly synthetic?: boolean;
  /**
   * `wallet/gettransactioninfobyblocknum`'s body written straight from the block's recipe, without building the
   * transactions first (synthetic blocks); the same text as `transactionInfoListText` of `transactions`.
   */
  readonly transactionInfoListText?: () => string;
}

/** USDT the faucet holds at genesis, in minor units (one billion USDT). */
export const faucetGenesisUsdtMinor = 10n ** 15n;

/**
 * Every change to the chain, as recorded in its journal (chain-store.ts) and replayed on restart. Replaying them in
 * order rebuilds the same chain: block ids, timestamps and execution follow from them; only transaction ids are
 * random, and they are recorded.
 */
export type ChainOperation =
  | {
      readonly op: 'transfer';
      readonly txID: string;
      readonly specs: readonly {
        readonly to: string;
        readonly amountMinor: string;
        readonly from?: string;
      }[];
      readonly failure?: 'OUT_OF_ENERGY' | 'REVERT';
      readonly contract?: 'usdt' | 'fake';
    }
  | {
      readonly op: 'signed';
      readonly txID: string;
      readonly owner: string;
      readonly contract: string;
      readonly to: string;
      readonly amountMinor: string;
    }
  | { readonly op: 'produce'; readonly count: number }
  | { readonly op: 'reorg'; readonly depth: number; readonly mode: 'drop' | 'move' }
  | { readonly op: 'synthetic'; readonly count: number; readonly load: SyntheticLoad };

/** Where the chain writes each change before it takes effect (and before any client can see it). */
export interface ChainJournal {
  record(operation: ChainOperation): void;
}

export interface DevnetChainOptions {
  readonly solidityLagBlocks: number;
  readonly usdtContract: string;
  readonly faucetAddress: string;
  readonly genesisTimestampMs?: number;
}

export class DevnetChain {
  readonly blocks: DevnetBlock[] = [];
  readonly usdt: TronAddress;
  readonly faucet: TronAddress;
  solidityLagBlocks: number;
  /** When set, the node answers as if its head were stuck at this number (a node that stopped advancing). */
  stalledAt: number | undefined;
  #pending: DevnetTransaction[] = [];
  #fork = 0;
  readonly #genesisTimestampMs: number;
  #journal: ChainJournal | undefined;

  constructor(options: DevnetChainOptions) {
    this.usdt = parseTronAddress(options.usdtContract);
    this.faucet = parseTronAddress(options.faucetAddress);
    this.solidityLagBlocks = options.solidityLagBlocks;
    this.#genesisTimestampMs = options.genesisTimestampMs ?? Date.now();
    this.blocks.push(this.#makeBlock(0, '0'.repeat(64), []));
  }

  #makeBlock(number: number, parentHash: string, transactions: readonly DevnetTransaction[]): DevnetBlock {
    const timestampMs = this.#genesisTimestampMs + number * 3_000;
    const digest = createHash('sha256')
      .update(`${number}:${parentHash}:${this.#fork}:${transactions.map((tx) => tx.txID).join(',')}`)
      .digest('hex');
    const blockID = number.toString(16).padStart(16, '0') + digest.slice(16);
    return { number, blockID, parentHash, timestampMs, transactions };
  }

  /** The head as the node shows it (stuck when stalled). */
  get headNumber(): number {
    const real = this.blocks.length - 1;
    return this.stalledAt === undefined ? real : Math.min(this.stalledAt, real);
  }

  get solidifiedNumber(): number {
    return Math.max(this.headNumber - this.solidityLagBlocks, 0);
  }

  block(number: number): DevnetBlock | undefined {
    return number <= this.headNumber ? this.blocks[number] : undefined;
  }

  /** A block by its id, which carries its number in its first 8 bytes, as on TRON. */
  blockById(blockID: string): DevnetBlock | undefined {
    if (!/^[0-9a-f]{64}$/.test(blockID)) return undefined;
    const block = this.block(Number.parseInt(blockID.slice(0, 16), 16));
    return block?.blockID === blockID ? block : undefined;
  }

  /** From now on, records every change in `journal` before making it. */
  attachJournal(journal: ChainJournal): void {
    this.#journal = journal;
  }

  /** Makes a recorded change again (on restart, before a journal is attached). */
  replay(operation: ChainOperation): void {
    if (this.#journal) throw new Error('replay only into a chain without a journal');
    switch (operation.op) {
      case 'transfer':
        this.submitTransfer(
          operation.specs.map((spec) => ({ ...spec, amountMinor: BigInt(spec.amountMinor) })),
          {
            txID: operation.txID,
            ...(operation.failure ? { failure: operation.failure } : {}),
            ...(operation.contract ? { contract: operation.contract } : {}),
          },
        );
        return;
      case 'signed':
        this.submitSigned({
          txID: operation.txID,
          owner: parseTronAddress(operation.owner),
          contract: parseTronAddress(operation.contract),
          to: parseTronAddress(operation.to),
          amountMinor: BigInt(operation.amountMinor),
        });
        return;
      case 'produce':
        this.produce(operation.count);
        return;
      case 'reorg':
        this.reorg(operation.depth, operation.mode);
        return;
      case 'synthetic':
        this.appendSynthetic(operation.count, operation.load);
        return;
    }
  }

  /** Queues a USDT transfer (or several in one transaction) for the next block; returns the transaction id. */
  submitTransfer(
    specs: readonly DevnetTransferSpec[],
    options: { failure?: 'OUT_OF_ENERGY' | 'REVERT'; contract?: 'usdt' | 'fake'; txID?: string } = {},
  ): string {
    if (specs.length === 0) throw new Error('a transaction needs at least one transfer');
    const owner = parseTronAddress(specs[0]!.from ?? this.faucet.base58);
    const contract = options.contract === 'fake' ? parseTronAddress(fakeUsdtContract) : this.usdt;
    const transfers = specs.map((spec) => {
      if (spec.amountMinor <= 0n) throw new Error('amount must be positive');
      return {
        from: parseTronAddress(spec.from ?? this.faucet.base58),
        to: parseTronAddress(spec.to),
        amountMinor: spec.amountMinor,
      };
    });
    const txID = options.txID ?? createHash('sha256').update(randomBytes(32)).digest('hex');
    this.#journal?.record({
      op: 'transfer',
      txID,
      specs: specs.map((spec) => ({
        to: spec.to,
        amountMinor: spec.amountMinor.toString(),
        ...(spec.from === undefined ? {} : { from: spec.from }),
      })),
      ...(options.failure ? { failure: options.failure } : {}),
      ...(options.contract ? { contract: options.contract } : {}),
    });
    this.#pending.push({ txID, contract, owner, transfers, failure: options.failure });
    return txID;
  }

  /** Queues a signed client transfer; it executes (or reverts for lack of balance) when its block is produced. */
  submitSigned(transaction: {
    txID: string;
    owner: TronAddress;
    contract: TronAddress;
    to: TronAddress;
    amountMinor: bigint;
  }): void {
    this.#journal?.record({
      op: 'signed',
      txID: transaction.txID,
      owner: transaction.owner.hex41,
      contract: transaction.contract.hex41,
      to: transaction.to.hex41,
      amountMinor: transaction.amountMinor.toString(),
    });
    this.#pending.push({
      txID: transaction.txID,
      contract: transaction.contract,
      owner: transaction.owner,
      transfers: [{ from: transaction.owner, to: transaction.to, amountMinor: transaction.amountMinor }],
      failure: undefined,
      checked: true,
    });
  }

  hasTransaction(txID: string): boolean {
    return (
      this.#pending.some((tx) => tx.txID === txID) ||
      this.blocks.some((block) => !block.synthetic && block.transactions.some((tx) => tx.txID === txID))
    );
  }

  /** Every address's USDT balance, for the chain ending in the block whose id keys it (rebuilt when the head moves). */
  #balances: { readonly headId: string; readonly byHex20: Map<string, bigint> } | undefined;

  /**
   * USDT balance (minor units) on the canonical chain: genesis allocation plus every successful transfer. All
   * balances are computed in one pass over the chain and kept until the head changes: a reconciliation asks for
   * 100,000 addresses' balances at one head, and a pass over the chain per address made that minutes.
   */
  usdtBalance(address: TronAddress): bigint {
    const headId = this.blocks[this.blocks.length - 1]!.blockID;
    if (this.#balances?.headId !== headId) this.#balances = { headId, byHex20: this.#allBalances() };
    return this.#balances.byHex20.get(address.hex20) ?? 0n;
  }

  #allBalances(): Map<string, bigint> {
    const balances = new Map<string, bigint>([[this.faucet.hex20, faucetGenesisUsdtMinor]]);
    for (const block of this.blocks) {
      if (block.synthetic) continue;
      for (const transaction of block.transactions) {
        if (transaction.failure || transaction.contract.hex20 !== this.usdt.hex20) continue;
        for (const transfer of transaction.transfers) {
          const { from, to, amountMinor } = transfer;
          balances.set(from.hex20, (balances.get(from.hex20) ?? 0n) - amountMinor);
          balances.set(to.hex20, (balances.get(to.hex20) ?? 0n) + amountMinor);
        }
      }
    }
    return balances;
  }

  /** Executes signed transactions against balances: a transfer of more than the sender holds reverts. */
  #execute(pending: readonly DevnetTransaction[]): DevnetTransaction[] {
    const spent = new Map<string, bigint>();
    return pending.map((transaction) => {
      if (!transaction.checked) return transaction;
      const transfer = transaction.transfers[0]!;
      const key = transfer.from.hex20;
      const available = this.usdtBalance(transfer.from) - (spent.get(key) ?? 0n);
      if (transaction.contract.hex20 !== this.usdt.hex20 || transfer.amountMinor > available)
        return { ...transaction, failure: 'REVERT' as const };
      spent.set(key, (spent.get(key) ?? 0n) + transfer.amountMinor);
      return transaction;
    });
  }

  /** Produces `count` blocks; the first takes every queued transaction. */
  produce(count = 1): DevnetBlock[] {
    this.#journal?.record({ op: 'produce', count });
    return this.#produce(count);
  }

  /** Appends a synthetic backlog (synthetic.ts) of `count` busy blocks, for benchmarks. */
  appendSynthetic(count: number, load: SyntheticLoad): void {
    this.#journal?.record({ op: 'synthetic', count, load });
    appendSyntheticBlocks(this, count, load);
  }

  #produce(count: number): DevnetBlock[] {
    const produced: DevnetBlock[] = [];
    for (let index = 0; index < count; index += 1) {
      const parent = this.blocks[this.blocks.length - 1]!;
      const block = this.#makeBlock(parent.number + 1, parent.blockID, this.#execute(this.#pending));
      this.#pending = [];
      this.blocks.push(block);
      produced.push(block);
    }
    return produced;
  }

  /**
   * Replaces the top `depth` blocks with a new branch one block longer. Their transactions vanish (`drop`) or are
   * included again in the new branch's last block (`move`).
   */
  reorg(depth: number, mode: 'drop' | 'move'): void {
    if (!Number.isInteger(depth) || depth < 1 || depth >= this.blocks.length)
      throw new Error(`cannot reorg ${depth} blocks`);
    this.#journal?.record({ op: 'reorg', depth, mode });
    const orphaned = this.blocks.splice(this.blocks.length - depth, depth);
    this.#fork += 1;
    this.#produce(depth);
    if (mode === 'move') this.#pending.push(...orphaned.flatMap((block) => block.transactions));
    this.#produce(1);
  }

  transactionInfo(transaction: DevnetTransaction, block: DevnetBlock) {
    // A plain TRX transfer: no contract call, no receipt result, no logs.
    if (transaction.transfers.length === 0)
      return {
        id: transaction.txID,
        blockNumber: block.number,
        blockTimeStamp: block.timestampMs,
        contractResult: [''],
        receipt: { net_usage: 267 },
      };
    const base = {
      id: transaction.txID,
      fee: 345_000,
      blockNumber: block.number,
      blockTimeStamp: block.timestampMs,
      contractResult: [''],
      contract_address: transaction.contract.hex41,
    };
    if (transaction.failure)
      return {
        ...base,
        result: 'FAILED',
        resMessage: '',
        receipt: { energy_usage_total: 64_285, net_fee: 345_000, result: transaction.failure },
      };
    return {
      ...base,
      receipt: { energy_usage_total: 64_285, net_usage: 345, result: 'SUCCESS' },
      log: transaction.transfers.map((transfer) => ({
        address: transaction.contract.hex20,
        topics: [transferTopic, addressToWord(transfer.from), addressToWord(transfer.to)],
        data: transfer.amountMinor.toString(16).padStart(64, '0'),
      })),
    };
  }

  /**
   * `wallet/gettransactioninfobyblocknum`'s body as JSON text, written directly for the common shapes: serving a busy
   * block must cost the devnet little, or a benchmark measures the devnet instead of the watcher. Same JSON as
   * `JSON.stringify` of `transactionInfo` for each transaction (a test compares them).
   */
  transactionInfoListText(block: DevnetBlock): string {
    if (block.transactionInfoListText) return block.transactionInfoListText();
    const parts: string[] = [];
    for (const transaction of block.transactions) {
      if (transaction.transfers.length === 0) {
        parts.push(
          `{"id":"${transaction.txID}","blockNumber":${block.number},"blockTimeStamp":${block.timestampMs},"contractResult":[""],"receipt":{"net_usage":267}}`,
        );
        continue;
      }
      if (transaction.failure) {
        parts.push(JSON.stringify(this.transactionInfo(transaction, block)));
        continue;
      }
      const logs = transaction.transfers.map(
        (transfer) =>
          `{"address":"${transaction.contract.hex20}","topics":["${transferTopic}","${addressToWord(transfer.from)}","${addressToWord(transfer.to)}"],"data":"${transfer.amountMinor.toString(16).padStart(64, '0')}"}`,
      );
      parts.push(
        `{"id":"${transaction.txID}","fee":345000,"blockNumber":${block.number},"blockTimeStamp":${block.timestampMs},"contractResult":[""],"contract_address":"${transaction.contract.hex41}","receipt":{"energy_usage_total":64285,"net_usage":345,"result":"SUCCESS"},"log":[${logs.join(',')}]}`,
      );
    }
    return `[${parts.join(',')}]`;
  }

  /** wallet/getblock with detail=false: the block without its transactions (nor their ids). */
  blockHeaderJson(block: DevnetBlock) {
    return {
      blockID: block.blockID,
      block_header: {
        raw_data: {
          number: block.number,
          txTrieRoot: '0'.repeat(64),
          witness_address: witnessAddress,
          parentHash: block.parentHash,
          version: 31,
          timestamp: block.timestampMs,
        },
        witness_signature: '0'.repeat(130),
      },
    };
  }

  blockJson(block: DevnetBlock) {
    const json = this.blockHeaderJson(block);
    if (block.transactions.length === 0) return json;
    return {
      ...json,
      transactions: block.transactions.map((transaction) =>
        transaction.transfers.length === 0
          ? trxTransferJson(transaction, block)
          : {
              ret: [{ contractRet: transaction.failure ?? 'SUCCESS' }],
              signature: ['0'.repeat(130)],
              txID: transaction.txID,
              raw_data: {
                contract: [
                  {
                    parameter: {
                      value: {
                        // a9059cbb = transfer(address,uint256); for several transfers the call data shows only the first,
                        // as a batching contract's would not: the logs, not the call data, are the truth.
                        data: `a9059cbb${addressToWord(transaction.transfers[0]!.to)}${transaction.transfers[0]!.amountMinor.toString(16).padStart(64, '0')}`,
                        owner_address: transaction.owner.hex41,
                        contract_address: transaction.contract.hex41,
                      },
                      type_url: 'type.googleapis.com/protocol.TriggerSmartContract',
                    },
                    type: 'TriggerSmartContract',
                  },
                ],
                ref_block_bytes: '0000',
                ref_block_hash: '0000000000000000',
                expiration: block.timestampMs + 60_000,
                fee_limit: 100_000_000,
                timestamp: block.timestampMs,
              },
              raw_data_hex: '',
            },
      ),
    };
  }
}

function trxTransferJson(transaction: DevnetTransaction, block: DevnetBlock) {
  return {
    ret: [{ contractRet: 'SUCCESS' }],
    signature: ['0'.repeat(130)],
    txID: transaction.txID,
    raw_data: {
      contract: [
        {
          parameter: {
            value: {
              amount: 1_000_000,
              owner_address: transaction.owner.hex41,
              to_address: transaction.contract.hex41,
            },
            type_url: 'type.googleapis.com/protocol.TransferContract',
          },
          type: 'TransferContract',
        },
      ],
      ref_block_bytes: '0000',
      ref_block_hash: '0000000000000000',
      expiration: block.timestampMs + 60_000,
      timestamp: block.timestampMs,
    },
    raw_data_hex: '',
  };
}
