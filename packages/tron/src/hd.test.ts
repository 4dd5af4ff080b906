// Proves deposit-address derivation: the published BIP39 test mnemonic gives the same TRON addresses as tronweb's
// own TronWeb.fromMnemonic on m/44'/195'/0'/0/i, and watch-only derivation from the account xpub gives exactly the
// addresses that private-key derivation gives.
import { describe, expect, it } from 'vitest';
import { TronWeb } from 'tronweb';
import { accountExtendedPublicKey, deriveAddressFromXpub, deriveFromMnemonic } from './hd.ts';

const testMnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('HD deposit addresses', () => {
  it('matches tronweb for the BIP39 test mnemonic', () => {
    for (const index of [0, 1, 2, 17]) {
      const ours = deriveFromMnemonic(testMnemonic, 0, index);
      const theirs = TronWeb.fromMnemonic(testMnemonic, `m/44'/195'/0'/0/${index}`) as {
        address: string;
        privateKey: string;
      };
      expect(ours.address.base58, `index ${index}`).toBe(theirs.address);
      expect(`0x${ours.privateKeyHex}`).toBe(
        theirs.privateKey.toLowerCase().startsWith('0x')
          ? theirs.privateKey.toLowerCase()
          : `0x${theirs.privateKey.toLowerCase()}`,
      );
    }
    expect(deriveFromMnemonic(testMnemonic, 0, 0).address.base58).toBe('TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH');
  });

  it('derives the same addresses from the account xpub without the private key', () => {
    const xpub = accountExtendedPublicKey(testMnemonic, 0);
    expect(xpub.startsWith('xpub')).toBe(true);
    for (let index = 0; index < 25; index += 1)
      expect(deriveAddressFromXpub(xpub, index).base58).toBe(
        deriveFromMnemonic(testMnemonic, 0, index).address.base58,
      );
  });

  it('keeps accounts apart and refuses bad indexes and mnemonics', () => {
    expect(deriveFromMnemonic(testMnemonic, 1, 0).address.base58).not.toBe(
      deriveFromMnemonic(testMnemonic, 0, 0).address.base58,
    );
    expect(() => deriveAddressFromXpub(accountExtendedPublicKey(testMnemonic, 0), -1)).toThrow(RangeError);
    expect(() => deriveFromMnemonic('abandon abandon', 0, 0)).toThrow(/mnemonic/);
  });
});
