// Proves Transfer-log decoding: every Transfer log of the configured token in a successful transaction is a
// deposit candidate with its own log index (several per transaction), while failed transactions (OUT_OF_ENERGY,
// REVERT), look-alike token contracts and other events are ignored.
import { describe, expect, it } from 'vitest';
import { addressToWord, parseTronAddress } from './address.ts';
import { decodeTransfers, isTransactionInfo, transferTopic, type TransactionInfo } from './transfer-log.ts';

const usdt = parseTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
const fake = parseTronAddress('41' + '11'.repeat(20));
const alice = parseTronAddress('41' + 'aa'.repeat(20));
const bob = parseTronAddress('41' + 'bb'.repeat(20));
const txId = 'ab'.repeat(32);

function transferLog(contract = usdt, from = alice, to = bob, amount = 1_500_000n) {
  return {
    address: contract.hex20,
    topics: [transferTopic, addressToWord(from), addressToWord(to)],
    data: amount.toString(16).padStart(64, '0'),
  };
}

describe('decodeTransfers', () => {
  it('decodes a USDT transfer exactly, beyond 2^53', () => {
    const info: TransactionInfo = {
      id: txId,
      receipt: { result: 'SUCCESS' },
      log: [transferLog(usdt, alice, bob, 2n ** 60n)],
    };
    expect(decodeTransfers(info, usdt)).toEqual([
      {
        txId,
        logIndex: 0,
        from: alice.base58,
        to: bob.base58,
        fromHex20: alice.hex20,
        toHex20: bob.hex20,
        amountMinor: 2n ** 60n,
      },
    ]);
  });

  it('keeps several transfers of one transaction apart by log index', () => {
    const other = { address: usdt.hex20, topics: ['11'.repeat(32)], data: '00' };
    const info: TransactionInfo = {
      id: txId,
      log: [transferLog(), other, transferLog(usdt, bob, alice, 7n)],
    };
    expect(decodeTransfers(info, usdt).map((transfer) => [transfer.logIndex, transfer.amountMinor])).toEqual([
      [0, 1_500_000n],
      [2, 7n],
    ]);
  });

  it('ignores failed transactions and look-alike contracts', () => {
    expect(
      decodeTransfers(
        { id: txId, result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY' }, log: [transferLog()] },
        usdt,
      ),
    ).toEqual([]);
    expect(decodeTransfers({ id: txId, receipt: { result: 'REVERT' } }, usdt)).toEqual([]);
    expect(decodeTransfers({ id: txId, log: [transferLog(fake)] }, usdt)).toEqual([]);
  });
});

describe('isTransactionInfo', () => {
  const good = {
    id: txId,
    fee: 345_000,
    blockNumber: 7,
    blockTimeStamp: 1_700_000_000_000,
    contractResult: [''],
    receipt: { energy_usage_total: 64_285, result: 'SUCCESS' },
    log: [transferLog()],
  };

  it('accepts the node shapes: a USDT call, a plain transfer, a failed call', () => {
    expect(isTransactionInfo(good)).toBe(true);
    expect(isTransactionInfo({ id: txId, blockNumber: 7, receipt: { net_usage: 267 } })).toBe(true);
    expect(isTransactionInfo({ id: txId, result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY' } })).toBe(
      true,
    );
  });

  it('refuses each field this module reads when it has the wrong type', () => {
    const broken: unknown[] = [
      null,
      [good],
      { ...good, id: 7 },
      { ...good, blockNumber: '7' },
      { ...good, result: false },
      { ...good, receipt: 'SUCCESS' },
      { ...good, receipt: { result: 1 } },
      { ...good, log: {} },
      { ...good, log: [null] },
      { ...good, log: [{ ...transferLog(), address: 41 }] },
      { ...good, log: [{ ...transferLog(), topics: 'ddf252ad' }] },
      { ...good, log: [{ ...transferLog(), topics: [transferTopic, 1, 2] }] },
      { ...good, log: [{ ...transferLog(), data: 1_500_000 }] },
    ];
    for (const value of broken) expect(isTransactionInfo(value), JSON.stringify(value)).toBe(false);
  });
});
