// Proves the devnet, run as its own process with TRON_DEVNET_STATE_DIR, survives `kill -9` as a chain does: after a
// restart it has the same head (number and hash), the same blocks and USDT balances, including a reorganisation; a
// transfer queued but not yet in a block is still queued; blocks made by the once-a-period timer survive too while
// the journal stays a handful of rows; and `--fresh` starts again at genesis.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseTronAddress } from '@cardgate/tron';
import { startStandInProcess, type StandInProcess } from '@cardgate/local-stack';
import { chainStateFile } from './chain-store.ts';
import { devnetFaucetAddress } from './server.ts';
import { mainnetUsdtContract } from './chain.ts';

const entry = 'packages/stand-ins/tron-devnet/src/main.ts';
const stateDirectory = mkdtempSync(join(tmpdir(), 'tron-devnet-state-'));
const alice = parseTronAddress('41' + '11'.repeat(20));
const bob = parseTronAddress('41' + '22'.repeat(20));
const carol = parseTronAddress('41' + '33'.repeat(20));
let running: StandInProcess | undefined;

const start = (options: { blockIntervalMs?: number; args?: string[] } = {}): Promise<StandInProcess> =>
  startStandInProcess({
    entry,
    portVariable: 'TRON_DEVNET_PORT',
    args: options.args ?? [],
    env: {
      TRON_DEVNET_STATE_DIR: stateDirectory,
      TRON_DEVNET_BLOCK_INTERVAL_MS: String(options.blockIntervalMs ?? 0),
      TRON_DEVNET_SOLIDITY_LAG_BLOCKS: '2',
      LOG_LEVEL: 'warn',
    },
  });

async function post(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${running!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function head(): Promise<{ number: number; blockID: string }> {
  const block = (await post('/wallet/getblock', {})) as {
    blockID: string;
    block_header: { raw_data: { number: number } };
  };
  return { number: block.block_header.raw_data.number, blockID: block.blockID };
}

async function usdtBalance(address: { hex20: string }): Promise<bigint> {
  const answer = (await post('/wallet/triggerconstantcontract', {
    owner_address: devnetFaucetAddress,
    contract_address: mainnetUsdtContract,
    function_selector: 'balanceOf(address)',
    parameter: address.hex20.padStart(64, '0'),
  })) as { constant_result: string[] };
  return BigInt(`0x${answer.constant_result[0]}`);
}

const balances = async () => ({
  alice: await usdtBalance(alice),
  bob: await usdtBalance(bob),
  carol: await usdtBalance(carol),
  faucet: await usdtBalance(parseTronAddress(devnetFaucetAddress)),
});

afterAll(async () => {
  await running?.stop();
  rmSync(stateDirectory, { recursive: true, force: true });
});

describe('the devnet process with a state directory', () => {
  let txId: string;

  it('keeps its chain, balances and queued transfers across kill -9', async () => {
    running = await start();
    txId = String(
      (await post('/admin/transfer', { to: alice.base58, amountMinor: '25000000', produce: true })).txId,
    );
    await post('/admin/transfer', { to: bob.base58, amountMinor: '7000000' });
    await post('/admin/produce', { count: 5 });
    await post('/admin/transfer', {
      from: alice.base58,
      to: bob.base58,
      amountMinor: '1000000',
      produce: true,
    });
    await post('/admin/reorg', { depth: 2, mode: 'move' });
    await post('/admin/produce', { count: 3 });
    // Queued, not yet in a block, when the process dies.
    await post('/admin/transfer', { to: carol.base58, amountMinor: '3000000' });
    const headBefore = await head();
    const balancesBefore = await balances();
    expect(balancesBefore).toMatchObject({ alice: 24_000_000n, bob: 8_000_000n, carol: 0n });
    const blockBefore = await post('/wallet/getblockbynum', { num: headBefore.number - 3 });
    const infoBefore = await post('/wallet/gettransactioninfobyid', { value: txId });

    await running.kill();
    running = await start();

    expect(await head()).toEqual(headBefore);
    expect(await balances()).toEqual(balancesBefore);
    expect(await post('/wallet/getblockbynum', { num: headBefore.number - 3 })).toEqual(blockBefore);
    expect(await post('/wallet/gettransactioninfobyid', { value: txId })).toEqual(infoBefore);
    // The queued transfer is in the next block.
    await post('/admin/produce', { count: 1 });
    expect(await usdtBalance(carol)).toBe(3_000_000n);
  });

  it('keeps the blocks its timer made, in a journal that does not grow with them', async () => {
    await running!.kill();
    running = await start({ blockIntervalMs: 20 });
    const first = await head();
    await sleep(600);
    const seen = await head();
    expect(seen.number).toBeGreaterThan(first.number + 5);

    await running.kill();
    running = await start();

    const resumed = await head();
    expect(resumed.number).toBeGreaterThanOrEqual(seen.number);
    const block = (await post('/wallet/getblockbynum', { num: seen.number })) as { blockID: string };
    expect(block.blockID).toBe(seen.blockID);
    // Consecutive produced blocks share one journal row: the rows count the changes above, not the blocks.
    const database = new DatabaseSync(join(stateDirectory, chainStateFile), { readOnly: true });
    const { rows } = database.prepare('SELECT count(*) AS rows FROM operation').get() as { rows: number };
    database.close();
    expect(resumed.number).toBeGreaterThan(30);
    expect(rows).toBeLessThanOrEqual(12);
  });

  it('starts at genesis with --fresh', async () => {
    await running!.kill();
    running = await start({ args: ['--fresh'] });
    expect((await head()).number).toBe(0);
    expect(await usdtBalance(alice)).toBe(0n);
    expect(await post('/wallet/gettransactioninfobyid', { value: txId })).toEqual({});
  });
});
