// The devnet's HTTP face: the full-node endpoints the watcher reads (POST JSON, `{}` for an unknown block or
// transaction, `{"Error": ...}` for bad requests) and an admin API to send USDT, produce blocks, reorganise the
// chain and inject faults (HTTP 429/5xx, latency, a node that stops advancing).
import { Hono, type Context } from 'hono';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveApp, type RunningServer } from '@cardgate/health';
import { parseTronAddress, type TronAddress } from '@cardgate/tron';
import { DevnetChain, mainnetUsdtContract, type DevnetBlock } from './chain.ts';
import { appendSyntheticBlocks } from './synthetic.ts';
import { buildTriggerTransaction, checkBroadcast, decodeTransferCall, selectorOf } from './transactions.ts';

export interface DevnetFaults {
  /** The next `count` node calls answer with `status`. */
  failNext?: { status: 429 | 500 | 502 | 503; count: number };
  latencyMs?: number;
}

function int(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

export function createDevnetApp(chain: DevnetChain, faults: DevnetFaults) {
  const app = new Hono();

  // Faults apply to the node API only, never to the admin API that tests use to steer the devnet.
  app.use('/wallet/*', async (context, next) => {
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count -= 1;
      const status = faults.failNext.status;
      return context.json(
        { Error: `injected ${status}` },
        status,
        status === 429 ? { 'retry-after': '1' } : {},
      );
    }
    await next();
  });
  app.use('/walletsolidity/*', async (context, next) => {
    if (faults.latencyMs) await sleep(faults.latencyMs);
    await next();
  });

  const body = async (context: {
    req: { json: () => Promise<unknown> };
  }): Promise<Record<string, unknown>> => {
    try {
      const parsed = await context.req.json();
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };

  app.post('/wallet/getnodeinfo', (context) =>
    context.json({
      beginSyncNum: 0,
      block: `Num:${chain.headNumber},ID:${chain.block(chain.headNumber)!.blockID}`,
      solidityBlock: `Num:${chain.solidifiedNumber},ID:${chain.block(chain.solidifiedNumber)!.blockID}`,
      configNodeInfo: { codeVersion: 'cardgate-devnet' },
    }),
  );
  app.post('/wallet/getnowblock', (context) => context.json(chain.blockJson(chain.block(chain.headNumber)!)));
  app.post('/walletsolidity/getnowblock', (context) =>
    context.json(chain.blockJson(chain.block(chain.solidifiedNumber)!)),
  );
  // java-tron's wallet/getblock: with detail=false the header alone, without even the transaction ids (java-tron's
  // own test: the answer equals the detailed block with its transactions cleared).
  // Without id_or_num, the latest block; walletsolidity/getblock answers the same from the solidified chain only.
  const getBlock = (solidifiedOnly: boolean) => async (context: Context) => {
    const request = await body(context);
    const latest = solidifiedOnly ? chain.solidifiedNumber : chain.headNumber;
    const idOrNum = request.id_or_num;
    let block: DevnetBlock | undefined;
    if (idOrNum === undefined || idOrNum === '') block = chain.block(latest);
    else if (typeof idOrNum === 'string' && /^[0-9a-f]{64}$/.test(idOrNum)) block = chain.blockById(idOrNum);
    else {
      const number = int(idOrNum);
      if (number === undefined)
        return context.json({ Error: 'id_or_num must be a block number or a block id' }, 400);
      block = chain.block(number);
    }
    if (!block || block.number > latest) return context.json({});
    return context.json(request.detail === true ? chain.blockJson(block) : chain.blockHeaderJson(block));
  };
  app.post('/wallet/getblock', getBlock(false));
  app.post('/walletsolidity/getblock', getBlock(true));
  app.post('/wallet/getblockbyid', async (context) => {
    const id = (await body(context)).value;
    const block = typeof id === 'string' ? chain.blockById(id) : undefined;
    return context.json(block ? chain.blockJson(block) : {});
  });
  app.post('/wallet/getblockbynum', async (context) => {
    const number = int((await body(context)).num);
    if (number === undefined) return context.json({ Error: 'num must be a non-negative integer' }, 400);
    const block = chain.block(number);
    return context.json(block ? chain.blockJson(block) : {});
  });
  app.post('/wallet/getblockbylimitnext', async (context) => {
    const request = await body(context);
    const start = int(request.startNum);
    const end = int(request.endNum);
    if (start === undefined || end === undefined || end <= start || end - start > 100)
      return context.json({ Error: 'startNum < endNum, at most 100 blocks' }, 400);
    const blocks = [];
    for (let number = start; number < end; number += 1) {
      const block = chain.block(number);
      if (block) blocks.push(chain.blockJson(block));
    }
    return context.json(blocks.length > 0 ? { block: blocks } : {});
  });
  app.post('/wallet/gettransactioninfobyblocknum', async (context) => {
    const number = int((await body(context)).num);
    if (number === undefined) return context.json({ Error: 'num must be a non-negative integer' }, 400);
    const block = chain.block(number);
    if (!block) return context.json([]);
    return context.body(chain.transactionInfoListText(block), 200, { 'content-type': 'application/json' });
  });
  app.post('/wallet/gettransactioninfobyid', async (context) => {
    const id = (await body(context)).value;
    for (let number = chain.headNumber; number >= 0; number -= 1) {
      const block = chain.block(number)!;
      const transaction = block.transactions.find((candidate) => candidate.txID === id);
      if (transaction) return context.json(chain.transactionInfo(transaction, block));
    }
    return context.json({});
  });

  const addressParameter = (value: unknown): TronAddress | undefined => {
    try {
      return typeof value === 'string' ? parseTronAddress(value) : undefined;
    } catch {
      return undefined;
    }
  };
  const hexMessage = (message: string): string => Buffer.from(message).toString('hex');

  app.post('/wallet/triggersmartcontract', async (context) => {
    const request = await body(context);
    const owner = addressParameter(request.owner_address);
    const contract = addressParameter(request.contract_address);
    const selector =
      typeof request.function_selector === 'string' ? selectorOf(request.function_selector) : undefined;
    const parameter = typeof request.parameter === 'string' ? request.parameter.toLowerCase() : '';
    if (!owner || !contract || !selector || !/^[0-9a-f]*$/.test(parameter))
      return context.json({
        result: { code: 'CONTRACT_VALIDATE_ERROR', message: hexMessage('malformed contract call') },
      });
    const head = chain.block(chain.headNumber)!;
    const transaction = buildTriggerTransaction({
      owner,
      contract,
      data: selector + parameter,
      feeLimit: int(request.fee_limit) ?? 150_000_000,
      refBlockNumber: head.number,
      refBlockId: head.blockID,
      nowMs: Date.now(),
    });
    return context.json({ result: { result: true }, transaction });
  });

  app.post('/wallet/triggerconstantcontract', async (context) => {
    const request = await body(context);
    const contract = addressParameter(request.contract_address);
    const selector =
      typeof request.function_selector === 'string' ? selectorOf(request.function_selector) : undefined;
    const parameter = typeof request.parameter === 'string' ? request.parameter.toLowerCase() : '';
    if (!contract || contract.hex20 !== chain.usdt.hex20)
      return context.json({
        result: { code: 'CONTRACT_VALIDATE_ERROR', message: hexMessage('no contract at that address') },
      });
    let word: string;
    if (selector === '70a08231' && /^[0-9a-f]{64}$/.test(parameter))
      word = chain
        .usdtBalance(parseTronAddress(parameter.slice(24)))
        .toString(16)
        .padStart(64, '0');
    else if (selector === '313ce567') word = (6).toString(16).padStart(64, '0');
    else
      return context.json({
        result: { code: 'CONTRACT_EXE_ERROR', message: hexMessage('unsupported call') },
      });
    return context.json({ result: { result: true }, energy_used: 940, constant_result: [word] });
  });

  app.post('/wallet/broadcasttransaction', async (context) => {
    const request = await body(context);
    const checked = checkBroadcast(request);
    if (!checked.ok)
      return context.json({ code: checked.code, message: hexMessage(checked.message), txid: request.txID });
    if (checked.expirationMs <= Date.now())
      return context.json({
        code: 'TRANSACTION_EXPIRATION_ERROR',
        message: hexMessage('transaction expired'),
        txid: checked.txID,
      });
    if (chain.hasTransaction(checked.txID))
      return context.json({
        code: 'DUP_TRANSACTION_ERROR',
        message: hexMessage('dup transaction'),
        txid: checked.txID,
      });
    const call = decodeTransferCall(checked.data);
    if (!call)
      return context.json({
        code: 'CONTRACT_VALIDATE_ERROR',
        message: hexMessage('only transfer(address,uint256)'),
        txid: checked.txID,
      });
    chain.submitSigned({
      txID: checked.txID,
      owner: checked.owner,
      contract: checked.contract,
      to: call.to,
      amountMinor: call.amountMinor,
    });
    return context.json({ result: true, txid: checked.txID });
  });

  app.post('/wallet/getaccount', async (context) => {
    const address = addressParameter((await body(context)).address);
    if (!address) return context.json({ Error: 'address is malformed' }, 400);
    // TRX: the faucet holds some; other accounts are unknown to the devnet until they matter ({} like a real node).
    if (address.hex20 !== chain.faucet.hex20) return context.json({});
    return context.json({ address: address.hex41, balance: 1_000_000_000_000, create_time: 0 });
  });
  app.post('/wallet/getaccountresource', (context) => context.json({ freeNetLimit: 600, EnergyLimit: 0 }));
  app.post('/wallet/getchainparameters', (context) =>
    context.json({
      chainParameter: [
        { key: 'getEnergyFee', value: 420 },
        { key: 'getTransactionFee', value: 1000 },
      ],
    }),
  );

  app.post('/admin/transfer', async (context) => {
    const request = await body(context);
    const transfers = Array.isArray(request.transfers) ? request.transfers : [request];
    try {
      const txId = chain.submitTransfer(
        transfers.map((transfer: Record<string, unknown>) => ({
          to: typeof transfer.to === 'string' ? transfer.to : '',
          // Minor units arrive as a decimal string; BigInt refuses anything else.
          amountMinor: BigInt(typeof transfer.amountMinor === 'string' ? transfer.amountMinor : 'x'),
          ...(typeof transfer.from === 'string' ? { from: transfer.from } : {}),
        })),
        {
          ...(request.failure === 'OUT_OF_ENERGY' || request.failure === 'REVERT'
            ? { failure: request.failure }
            : {}),
          ...(request.contract === 'fake' ? { contract: 'fake' as const } : {}),
        },
      );
      if (request.produce === true) chain.produce(1);
      return context.json({ txId, head: chain.headNumber });
    } catch (error) {
      return context.json({ Error: (error as Error).message }, 400);
    }
  });
  app.post('/admin/produce', async (context) => {
    const count = int((await body(context)).count) ?? 1;
    chain.produce(Math.min(count, 100_000));
    return context.json({ head: chain.headNumber, solidified: chain.solidifiedNumber });
  });
  app.post('/admin/reorg', async (context) => {
    const request = await body(context);
    try {
      chain.reorg(int(request.depth) ?? 1, request.mode === 'move' ? 'move' : 'drop');
    } catch (error) {
      return context.json({ Error: (error as Error).message }, 400);
    }
    return context.json({ head: chain.headNumber });
  });
  app.post('/admin/faults', async (context) => {
    const request = await body(context);
    const status = int(request.status);
    if (status === 429 || status === 500 || status === 502 || status === 503)
      faults.failNext = { status, count: int(request.count) ?? 1 };
    if (request.latencyMs !== undefined) faults.latencyMs = int(request.latencyMs) ?? 0;
    if (request.stalled === true) chain.stalledAt = chain.headNumber;
    if (request.stalled === false) chain.stalledAt = undefined;
    return context.json({ ok: true });
  });
  app.post('/admin/synthetic', async (context) => {
    // A busy backlog for benchmarks: `blocks` blocks of generated transactions, some to `ourAddresses`.
    const request = await body(context);
    const blocks = int(request.blocks);
    const ourAddresses = Array.isArray(request.ourAddresses)
      ? request.ourAddresses.filter((item) => typeof item === 'string')
      : [];
    if (blocks === undefined || blocks > 1_000_000)
      return context.json({ Error: 'blocks must be 0..1000000' }, 400);
    appendSyntheticBlocks(chain, blocks, {
      transactionsPerBlock: int(request.transactionsPerBlock) ?? 200,
      usdtShare: 1 / 3,
      ourShare: 0.01,
      ourAddresses,
    });
    return context.json({ head: chain.headNumber });
  });
  app.get('/admin/state', (context) =>
    context.json({ head: chain.headNumber, solidified: chain.solidifiedNumber }),
  );
  app.get('/health', (context) => context.json({ status: 'ok', head: chain.headNumber }));
  return app;
}

export interface StartDevnetOptions {
  readonly port: number;
  readonly host?: string;
  /** Produce a block every this many ms; 0 produces blocks only on demand. */
  readonly blockIntervalMs: number;
  readonly solidityLagBlocks?: number;
  readonly usdtContract?: string;
  readonly faucetAddress?: string;
}

export interface RunningDevnet extends RunningServer {
  readonly chain: DevnetChain;
  readonly faults: DevnetFaults;
}

/** The faucet: a well-known devnet address that pays out test USDT. */
export const devnetFaucetAddress = parseTronAddress('41' + 'fa'.repeat(20)).base58;

export async function startDevnet(options: StartDevnetOptions): Promise<RunningDevnet> {
  const chain = new DevnetChain({
    solidityLagBlocks: options.solidityLagBlocks ?? 18,
    usdtContract: options.usdtContract ?? mainnetUsdtContract,
    faucetAddress: options.faucetAddress ?? devnetFaucetAddress,
  });
  const faults: DevnetFaults = {};
  const server = await serveApp(createDevnetApp(chain, faults), options.port, options.host);
  const timer =
    options.blockIntervalMs > 0 ? setInterval(() => chain.produce(1), options.blockIntervalMs) : undefined;
  return {
    url: server.url,
    chain,
    faults,
    close: async () => {
      if (timer) clearInterval(timer);
      await server.close();
    },
  };
}
