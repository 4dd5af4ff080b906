// Proves answers of the devnet are the ones a java-tron node gives: wallet/getblock without detail is the block with
// its transactions cleared (ids too: a watcher cannot tell an empty block from a busy one by its header); without a
// number it is the latest block, and walletsolidity/getblock the latest solidified one; and a synthetic block's
// transaction info, written straight from its recipe, is the same JSON as the generic rendering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveFromMnemonic } from '@cardgate/tron';
import { startDevnet, type RunningDevnet } from './server.ts';
import { appendSyntheticBlocks } from './synthetic.ts';

const mnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
let devnet: RunningDevnet;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 18 });
});
afterAll(async () => devnet?.close());

async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${devnet.url}/${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('wallet/getblock', () => {
  it('without detail answers the detailed block with its transactions cleared, by number or by id', async () => {
    devnet.chain.submitTransfer([{ to: deriveFromMnemonic(mnemonic, 5, 3).address.base58, amountMinor: 7n }]);
    const [block] = devnet.chain.produce(1);
    const detailed = await call('wallet/getblock', { id_or_num: String(block!.number), detail: true });
    const header = await call('wallet/getblock', { id_or_num: String(block!.number), detail: false });
    expect(detailed.transactions).toHaveLength(1);
    const { transactions: _cleared, ...withoutTransactions } = detailed;
    expect(header).toEqual(withoutTransactions);
    expect(header).not.toHaveProperty('transactions');
    expect(await call('wallet/getblock', { id_or_num: block!.blockID, detail: false })).toEqual(header);
    expect(await call('wallet/getblockbyid', { value: block!.blockID })).toEqual(detailed);
    const unknownId = `${block!.blockID.slice(0, 16)}${'0'.repeat(48)}`;
    expect(await call('wallet/getblock', { id_or_num: unknownId })).toEqual({});
    expect(await call('wallet/getblockbyid', { value: unknownId })).toEqual({});
  });
});

describe('the latest headers', () => {
  it('wallet/getblock without a number is the head; walletsolidity/getblock only knows the solidified chain', async () => {
    devnet.chain.produce(20);
    const head = devnet.chain.block(devnet.chain.headNumber)!;
    const solidified = devnet.chain.block(devnet.chain.solidifiedNumber)!;
    expect(devnet.chain.headNumber - devnet.chain.solidifiedNumber).toBe(18);
    expect(await call('wallet/getblock', { detail: false })).toEqual(devnet.chain.blockHeaderJson(head));
    expect(await call('walletsolidity/getblock', { detail: false })).toEqual(
      devnet.chain.blockHeaderJson(solidified),
    );
    expect(await call('walletsolidity/getblock', { id_or_num: String(solidified.number + 1) })).toEqual({});
    expect(await call('wallet/getblock', { id_or_num: String(solidified.number + 1) })).toHaveProperty(
      'blockID',
      devnet.chain.block(solidified.number + 1)!.blockID,
    );
  });
});

describe('synthetic blocks', () => {
  it('serve the same transaction info as their transactions rendered one by one, ours and strangers alike', () => {
    const ours = [0, 1, 2].map((index) => deriveFromMnemonic(mnemonic, 6, index).address.base58);
    const first = devnet.chain.headNumber + 1;
    appendSyntheticBlocks(devnet.chain, 3, {
      transactionsPerBlock: 60,
      usdtShare: 1 / 3,
      ourShare: 0.1,
      ourAddresses: ours,
    });
    let paysOurs = 0;
    for (let number = first; number < first + 3; number += 1) {
      const block = devnet.chain.block(number)!;
      expect(block.transactionInfoListText).toBeDefined();
      const rendered = block.transactions.map((transaction) =>
        devnet.chain.transactionInfo(transaction, block),
      );
      expect(JSON.parse(devnet.chain.transactionInfoListText(block))).toEqual(
        JSON.parse(JSON.stringify(rendered)),
      );
      paysOurs += block.transactions.filter((transaction) =>
        transaction.transfers.some((transfer) => ours.includes(transfer.to.base58)),
      ).length;
    }
    expect(paysOurs).toBeGreaterThan(0);
  });
});
