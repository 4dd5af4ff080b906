// Proves Transfer-log decoding: every Transfer log of the configured token in a successful transaction is a
// deposit candidate with its own log index (several per transaction), while failed transactions (OUT_OF_ENERGY,
// REVERT), look-alike token contracts and other events are ignored.
import { describe, expect, it } from 'vitest';
import { addressToWord, parseTronAddress } from './address.ts';
import { decodeTransfers, transferTopic, type TransactionInfo } from './transfer-log.ts';

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
