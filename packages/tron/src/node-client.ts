// A small client for the TRON full-node HTTP API: the calls the watcher needs, each with a bounded timeout, responses
// checked with zod, and failures typed so callers can tell a rate limit (with its Retry-After), a server error, a
// timeout and a malformed answer apart. It is the same code against the devnet and a real node.
import { z } from 'zod';
import { createJsonPost, TransportError, type JsonPostAnswer } from './json-post.ts';
import { addressToWord, type TronAddress } from './address.ts';
import {
  balancesFunction,
  balancesHoldersMax,
  decodeUintArray,
  encodeBalancesCall,
} from './balance-checker.ts';
import { isTransactionInfo, type TransactionInfo } from './transfer-log.ts';

export class TronNodeError extends Error {
  readonly kind: 'rate_limited' | 'server_error' | 'client_error' | 'timeout' | 'network' | 'malformed';
  readonly retryAfterMs: number | undefined;
  constructor(kind: TronNodeError['kind'], message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'TronNodeError';
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
}

const blockSchema = z.object({
  blockID: z.string().regex(/^[0-9a-f]{64}$/),
  block_header: z.object({
    raw_data: z.object({
      number: z.number().int().nonnegative().optional(),
      parentHash: z.string().regex(/^[0-9a-f]{64}$/),
      timestamp: z.number().int(),
    }),
  }),
  transactions: z.array(z.object({ txID: z.string() }).loose()).optional(),
});
export type NodeBlock = z.infer<typeof blockSchema>;

const constantCallSchema = z.object({
  result: z.object({ result: z.boolean().optional(), code: z.string().optional() }).loose(),
  constant_result: z.array(z.string().regex(/^[0-9a-f]*$/i)).optional(),
});

export interface TronNodeClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly apiKey?: string;
  /** Bound on one answer's body; a busy block's transaction info is well under 1 MiB. */
  readonly responseBytesMax?: number;
  /** Connections kept open to the node at most. */
  readonly socketsMax?: number;
}

export function createTronNodeClient(options: TronNodeClientOptions) {
  const transport = createJsonPost({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    responseBytesMax: options.responseBytesMax ?? 32 * 1024 * 1024,
    socketsMax: options.socketsMax ?? 32,
    headers: options.apiKey ? { 'TRON-PRO-API-KEY': options.apiKey } : {},
  });

  async function post(path: string, body: unknown): Promise<unknown> {
    let answer: JsonPostAnswer;
    try {
      answer = await transport.post(path, body);
    } catch (error) {
      if (error instanceof TransportError)
        throw new TronNodeError(error.kind === 'too_large' ? 'malformed' : error.kind, error.message);
      throw error;
    }
    if (answer.status === 429) {
      const retryAfterSeconds = Number(answer.retryAfter ?? '1');
      throw new TronNodeError(
        'rate_limited',
        `${path}: HTTP 429`,
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? retryAfterSeconds * 1000 : 1000,
      );
    }
    if (answer.status >= 500) throw new TronNodeError('server_error', `${path}: HTTP ${answer.status}`);
    if (answer.status >= 400) throw new TronNodeError('client_error', `${path}: HTTP ${answer.status}`);
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new TronNodeError('malformed', `${path}: the body is not JSON`);
    }
    if (json && typeof json === 'object' && 'Error' in json)
      throw new TronNodeError('client_error', `${path}: ${String(json.Error)}`);
    return json;
  }

  function parseBlock(path: string, json: unknown): NodeBlock | undefined {
    if (json && typeof json === 'object' && Object.keys(json).length === 0) return undefined;
    const parsed = blockSchema.safeParse(json);
    if (!parsed.success) throw new TronNodeError('malformed', `${path}: unexpected block shape`);
    return parsed.data;
  }

  return {
    /**
     * The latest block's header (wallet/getblock without id_or_num nor detail): what a watcher polls for. getnowblock
     * sends the whole block, every transaction in full, hundreds of kilobytes a call on mainnet.
     */
    async latestHeader(): Promise<NodeBlock> {
      const block = parseBlock('wallet/getblock', await post('wallet/getblock', { detail: false }));
      if (!block) throw new TronNodeError('malformed', 'wallet/getblock: empty');
      return block;
    },
    /** The latest solidified block's header (walletsolidity/getblock, same servlet on the solidity API). */
    async latestSolidifiedHeader(): Promise<NodeBlock> {
      const block = parseBlock(
        'walletsolidity/getblock',
        await post('walletsolidity/getblock', { detail: false }),
      );
      if (!block) throw new TronNodeError('malformed', 'walletsolidity/getblock: empty');
      return block;
    },
    async blockByNumber(number: number): Promise<NodeBlock | undefined> {
      return parseBlock('wallet/getblockbynum', await post('wallet/getblockbynum', { num: number }));
    },
    /**
     * A block's header alone (wallet/getblock with detail=false), or undefined if unknown. java-tron leaves the
     * transactions out entirely, ids included: an absent list says nothing about whether the block has any.
     */
    async blockHeader(number: number): Promise<NodeBlock | undefined> {
      return parseBlock(
        'wallet/getblock',
        await post('wallet/getblock', { id_or_num: String(number), detail: false }),
      );
    },
    /**
     * A TRC-20 token balance (`balanceOf(address)` through wallet/triggerconstantcontract) in the token's minor units,
     * as of the node's head. The caller is the address itself: a constant call needs an owner but changes nothing.
     */
    async tokenBalanceOf(token: TronAddress, holder: TronAddress): Promise<bigint> {
      const path = 'wallet/triggerconstantcontract';
      const parsed = constantCallSchema.safeParse(
        await post(path, {
          owner_address: holder.hex41,
          contract_address: token.hex41,
          function_selector: 'balanceOf(address)',
          parameter: addressToWord(holder),
        }),
      );
      if (!parsed.success) throw new TronNodeError('malformed', `${path}: unexpected shape`);
      const word = parsed.data.constant_result?.[0];
      if (parsed.data.result.result !== true || word === undefined || word.length === 0)
        throw new TronNodeError('client_error', `${path}: ${parsed.data.result.code ?? 'no result'}`);
      return BigInt(`0x${word}`);
    },
    /**
     * Many holders' balances of one token in one constant call to a balance-checker contract (balance-checker.ts),
     * at most `balancesHoldersMax` holders; the answers in the holders' order.
     */
    async tokenBalancesOf(
      checker: TronAddress,
      token: TronAddress,
      holders: readonly TronAddress[],
    ): Promise<bigint[]> {
      const path = 'wallet/triggerconstantcontract';
      if (holders.length === 0) return [];
      if (holders.length > balancesHoldersMax)
        throw new RangeError(`at most ${balancesHoldersMax} holders per balance-checker call`);
      const parsed = constantCallSchema.safeParse(
        await post(path, {
          owner_address: holders[0]!.hex41,
          contract_address: checker.hex41,
          function_selector: balancesFunction,
          parameter: encodeBalancesCall(holders, [token]),
        }),
      );
      if (!parsed.success) throw new TronNodeError('malformed', `${path}: unexpected shape`);
      const result = parsed.data.constant_result?.[0];
      if (parsed.data.result.result !== true || result === undefined)
        throw new TronNodeError('client_error', `${path}: ${parsed.data.result.code ?? 'no result'}`);
      let balances: bigint[];
      try {
        balances = decodeUintArray(result, balancesHoldersMax);
      } catch (error) {
        throw new TronNodeError('malformed', `${path}: ${(error as Error).message}`);
      }
      if (balances.length !== holders.length)
        throw new TronNodeError(
          'malformed',
          `${path}: ${balances.length} balances for ${holders.length} holders`,
        );
      return balances;
    },
    async transactionInfoByBlock(number: number): Promise<TransactionInfo[]> {
      const json = await post('wallet/gettransactioninfobyblocknum', { num: number });
      if (json && typeof json === 'object' && !Array.isArray(json) && Object.keys(json).length === 0)
        return [];
      if (!Array.isArray(json) || !json.every(isTransactionInfo))
        throw new TronNodeError('malformed', 'wallet/gettransactioninfobyblocknum: unexpected shape');
      return json;
    },
  };
}

export type TronNodeClient = ReturnType<typeof createTronNodeClient>;

/** The block number of a block: from its header, or (as TRON encodes it) the first 8 bytes of its id. */
export function blockNumberOf(block: NodeBlock): number {
  return block.block_header.raw_data.number ?? Number.parseInt(block.blockID.slice(0, 16), 16);
}
