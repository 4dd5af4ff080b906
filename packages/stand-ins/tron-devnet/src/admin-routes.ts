// The admin API that development and tests steer the devnet with (no key; never deployed): send USDT from the
// faucet, produce blocks, reorganise the chain, set faults, append a synthetic backlog; and /health.
import type { Hono } from 'hono';
import type { DevnetChain } from './chain.ts';
import type { DevnetFaults } from './faults.ts';
import { body, int } from './request.ts';

export function addAdminRoutes(app: Hono, chain: DevnetChain, faults: DevnetFaults): void {
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
    chain.appendSynthetic(blocks, {
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
}
