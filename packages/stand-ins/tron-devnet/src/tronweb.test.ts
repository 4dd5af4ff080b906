// Proves the devnet speaks the node API well enough for tronweb, unmodified: tronweb builds a USDT transfer through
// triggersmartcontract (its own txID and protobuf checks pass), signs it and broadcasts it; the transfer lands in the
// next block with its Transfer log and moves balanceOf. A forged signature, a duplicate broadcast and a transfer beyond
// the balance are refused or reverted as on a real node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TronWeb, utils } from 'tronweb';
import { createTronNodeClient, decodeTransfers, deriveFromMnemonic, parseTronAddress } from '@cardgate/tron';
import { startDevnet, type RunningDevnet } from './server.ts';
import { mainnetUsdtContract } from './chain.ts';

const mnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const sender = deriveFromMnemonic(mnemonic, 5, 0);
const stranger = deriveFromMnemonic(mnemonic, 5, 1);
const recipient = deriveFromMnemonic(mnemonic, 5, 2).address.base58;
let devnet: RunningDevnet;
let tronWeb: TronWeb;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 18 });
  tronWeb = new TronWeb({ fullHost: devnet.url });
  devnet.chain.submitTransfer([{ to: sender.address.base58, amountMinor: 100_000_000n }]);
  devnet.chain.produce(1);
});
afterAll(async () => devnet?.close());

async function buildTransfer(from: string, to: string, amountMinor: string) {
  const built = await tronWeb.transactionBuilder.triggerSmartContract(
    mainnetUsdtContract,
    'transfer(address,uint256)',
    { feeLimit: 100_000_000 },
    [
      { type: 'address', value: to },
      { type: 'uint256', value: amountMinor },
    ],
    from,
  );
  expect(built.result.result).toBe(true);
  return built.transaction;
}

async function balanceOf(address: string): Promise<bigint> {
  const answer = await tronWeb.transactionBuilder.triggerConstantContract(
    mainnetUsdtContract,
    'balanceOf(address)',
    {},
    [{ type: 'address', value: address }],
    address,
  );
  return BigInt(`0x${answer.constant_result![0]}`);
}

describe('tronweb against the devnet', () => {
  it('builds, signs and broadcasts a USDT transfer that lands with its Transfer log and moves balances', async () => {
    const transaction = await buildTransfer(sender.address.base58, recipient, '25000000');
    const signed = await tronWeb.trx.sign(transaction, sender.privateKeyHex);
    const sent = await tronWeb.trx.sendRawTransaction(signed);
    expect(sent.result).toBe(true);
    devnet.chain.produce(1);
    const client = createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 });
    const infos = await client.transactionInfoByBlock(devnet.chain.headNumber);
    const transfers = infos.flatMap((info) => decodeTransfers(info, parseTronAddress(mainnetUsdtContract)));
    expect(transfers).toEqual([
      {
        txId: signed.txID,
        logIndex: 0,
        from: sender.address.base58,
        to: recipient,
        fromHex20: sender.address.hex20,
        toHex20: parseTronAddress(recipient).hex20,
        amountMinor: 25_000_000n,
      },
    ]);
    expect(await balanceOf(recipient)).toBe(25_000_000n);
    expect(await balanceOf(sender.address.base58)).toBe(75_000_000n);

    const again = await tronWeb.trx.sendRawTransaction(signed);
    expect((again as { code?: string }).code).toBe('DUP_TRANSACTION_ERROR');
  });

  it('refuses a transaction signed by someone other than its owner', async () => {
    const transaction = await buildTransfer(sender.address.base58, recipient, '1');
    // tronweb itself refuses to sign with the wrong key, so the forger signs with tronweb's low-level helper.
    const forged = utils.crypto.signTransaction(stranger.privateKeyHex, structuredClone(transaction));
    const sent = await tronWeb.trx.sendRawTransaction(forged);
    expect((sent as { code?: string }).code).toBe('SIGERROR');
  });

  it('reverts a transfer beyond the balance: in the block, failed, no log', async () => {
    const transaction = await buildTransfer(stranger.address.base58, recipient, '5');
    const signed = await tronWeb.trx.sign(transaction, stranger.privateKeyHex);
    expect((await tronWeb.trx.sendRawTransaction(signed)).result).toBe(true);
    devnet.chain.produce(1);
    const client = createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 });
    const [info] = await client.transactionInfoByBlock(devnet.chain.headNumber);
    expect(info).toMatchObject({ id: signed.txID, result: 'FAILED', receipt: { result: 'REVERT' } });
    expect(info?.log).toBeUndefined();
    expect(await balanceOf(recipient)).toBe(25_000_000n);
  });
});

describe('transaction info served as text', () => {
  it('is the same JSON as the objects it stands for, for plain, USDT, multi-transfer and failed transactions', () => {
    const chain = devnet.chain;
    const recipient = deriveFromMnemonic(mnemonic, 5, 7).address.base58;
    chain.submitTransfer([{ to: recipient, amountMinor: 123_456_789n }]);
    chain.submitTransfer([
      { to: recipient, amountMinor: 1n },
      { to: recipient, amountMinor: 2n ** 70n },
    ]);
    chain.submitTransfer([{ to: recipient, amountMinor: 5n }], { failure: 'REVERT' });
    const [block] = chain.produce(1);
    const expected = block!.transactions.map((transaction) => chain.transactionInfo(transaction, block!));
    expect(JSON.parse(chain.transactionInfoListText(block!))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected).toHaveLength(3);
  });
});
