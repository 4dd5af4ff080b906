// Proves that a block a reorg may still replace is never recorded with another block's transfers: transaction info
// carries no block hash, so a reorg landing between the reads of a block's header and of its info must stop the run
// at that block, not pair the old hash with the new transfers (or the reverse). Real devnet over HTTP; the reorg is
// made to land at exactly that moment by a client that reorganises the chain just before it reads the info.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTronNodeClient, deriveFromMnemonic, type TronNodeClient } from '@cardgate/tron';
import { mainnetUsdtContract, startDevnet, type RunningDevnet } from '@cardgate/tron-devnet';
import { createTronChainSource } from './tron-chain-source.ts';

const recipient = deriveFromMnemonic(
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  9,
  0,
).address.base58;
let devnet: RunningDevnet;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 18 });
  devnet.chain.produce(3);
});
afterAll(async () => devnet?.close());

/** The real client, with a hook that runs before each read of transaction info, and a count of header reads. */
function hookedClient(beforeInfo: (number: number) => void) {
  const client = createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 });
  const counts = { headers: 0 };
  const hooked: TronNodeClient = {
    ...client,
    blockHeader: (number) => {
      counts.headers += 1;
      return client.blockHeader(number);
    },
    transactionInfoByBlock: (number) => {
      beforeInfo(number);
      return client.transactionInfoByBlock(number);
    },
  };
  return { client: hooked, counts };
}

function sourceOver(client: TronNodeClient) {
  return createTronChainSource({
    name: 'devnet',
    client,
    tokenContract: mainnetUsdtContract,
    infoConcurrencyMax: 4,
  });
}

describe('reading a block a reorg may still replace', () => {
  it('stops at a block that changed between its header and its info, and reads the new block next time', async () => {
    devnet.chain.submitTransfer([{ to: recipient, amountMinor: 5_000_000n }]);
    const [withDeposit] = devnet.chain.produce(1);
    const number = withDeposit!.number;
    let reorgs = 1;
    const { client } = hookedClient(() => {
      // The deposit's block is replaced by one without it, after its header was read and before its info is.
      if (reorgs-- > 0) devnet.chain.reorg(1, 'drop');
    });
    const source = sourceOver(client);

    expect(await source.blocks(number, number + 1, number - 1)).toEqual([]);
    const [replacement] = await source.blocks(number, number + 1, number - 1);
    expect(replacement!.hash).toBe(devnet.chain.block(number)!.blockID);
    expect(replacement!.hash).not.toBe(withDeposit!.blockID);
    expect(replacement!.transfers).toEqual([]);
  });

  it('keeps a block whose header is the same before and after its info, with its transfers', async () => {
    devnet.chain.submitTransfer([{ to: recipient, amountMinor: 7_000_000n }]);
    const [block] = devnet.chain.produce(1);
    const { client, counts } = hookedClient(() => undefined);
    const [read] = await sourceOver(client).blocks(block!.number, block!.number + 1, block!.number - 1);
    expect(read!.hash).toBe(block!.blockID);
    expect(read!.transfers.map((transfer) => [transfer.to, transfer.amountMinor])).toEqual([
      [recipient, 7_000_000n],
    ]);
    expect(counts.headers).toBe(2);
  });

  it('reads a block at or below the irreversible line once, header and info together', async () => {
    const number = devnet.chain.headNumber;
    const { client, counts } = hookedClient(() => undefined);
    const blocks = await sourceOver(client).blocks(number - 2, number + 1, number);
    expect(blocks.map((block) => block.number)).toEqual([number - 2, number - 1, number]);
    expect(counts.headers).toBe(3);
  });
});
