// Proves address handling: the four forms of one address convert to each other exactly (checked against tronweb's
// own converters and the USDT contract's published forms), and malformed input, a bad checksum or a non-TRON prefix
// is refused.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressFromPublicKey } from './hd.ts';
import {
  addressFromTopic,
  addressToWord,
  InvalidAddressError,
  isTronAddress,
  parseTronAddress,
} from './address.ts';

const usdtBase58 = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const usdtHex41 = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';

describe('parseTronAddress', () => {
  it('converts the USDT contract between all forms', () => {
    const fromBase58 = parseTronAddress(usdtBase58);
    expect(fromBase58).toEqual({ base58: usdtBase58, hex41: usdtHex41, hex20: usdtHex41.slice(2) });
    expect(parseTronAddress(usdtHex41)).toEqual(fromBase58);
    expect(parseTronAddress(`0x${usdtHex41.slice(2)}`)).toEqual(fromBase58);
    expect(parseTronAddress(usdtHex41.slice(2).toUpperCase())).toEqual(fromBase58);
  });

  it('agrees with tronweb for addresses of random keys', () => {
    for (let index = 0; index < 20; index += 1) {
      const privateKey = randomBytes(32);
      const theirs = TronWeb.address.fromPrivateKey(privateKey.toString('hex'));
      const ours = addressFromPublicKey(secp256k1.getPublicKey(privateKey));
      expect(ours.base58).toBe(theirs);
      expect(ours.hex41).toBe(TronWeb.address.toHex(String(theirs)).toLowerCase());
      expect(parseTronAddress(ours.hex41).base58).toBe(theirs);
    }
  });

  it('refuses a bad checksum, a wrong prefix and malformed input', () => {
    const badChecksum = usdtBase58.slice(0, -1) + (usdtBase58.endsWith('t') ? 'u' : 't');
    for (const input of [
      badChecksum,
      '42a614f803b6fd780986a42c78ec9c7f77e6ded13c',
      'T123',
      '',
      'not an address',
      `${usdtHex41}00`,
    ])
      expect(() => parseTronAddress(input), input).toThrow(InvalidAddressError);
    expect(isTronAddress(badChecksum)).toBe(false);
    expect(isTronAddress(usdtBase58)).toBe(true);
  });

  it('reads an address from a 32-byte topic, with or without a 41 byte inside the word', () => {
    const address = parseTronAddress(usdtBase58);
    expect(addressFromTopic(addressToWord(address)).base58).toBe(usdtBase58);
    expect(addressFromTopic(`0000000000000000000000${usdtHex41}`).base58).toBe(usdtBase58);
    expect(() => addressFromTopic('1234')).toThrow(InvalidAddressError);
  });
});
