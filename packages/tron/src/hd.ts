// HD deposit addresses on the BIP44 path m/44'/195'/<account>'/0/<index> (coin type 195 is TRON). Watching services
// derive from the account-level extended public key and never hold a private key; only the sweeper (later) needs
// the seed.
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { parseTronAddress, type TronAddress } from './address.ts';

export const tronCoinType = 195;
const indexMax = 2 ** 31 - 1;

function assertIndex(index: number, what: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > indexMax)
    throw new RangeError(`${what} ${index} is not 0..2^31-1`);
}

/** keccak256 of the 64-byte uncompressed public key (without its 0x04 prefix); the last 20 bytes are the account. */
export function addressFromPublicKey(publicKey: Uint8Array): TronAddress {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  const hash = keccak_256(uncompressed.slice(1));
  return parseTronAddress(Buffer.from(hash.slice(12)).toString('hex'));
}

export function accountPath(account: number): string {
  assertIndex(account, 'account');
  return `m/44'/${tronCoinType}'/${account}'`;
}

/** The account-level extended public key (xpub) that watch-only services derive from. */
export function accountExtendedPublicKey(mnemonic: string, account: number): string {
  if (!validateMnemonic(mnemonic, wordlist))
    throw new Error('the mnemonic is not a valid BIP39 English phrase');
  return HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive(accountPath(account)).publicExtendedKey;
}

/** Watch-only derivation: the address at m/44'/195'/<account>'/0/<index> from the account's xpub. */
export function deriveAddressFromXpub(xpub: string, index: number): TronAddress {
  assertIndex(index, 'index');
  const node = HDKey.fromExtendedKey(xpub).deriveChild(0).deriveChild(index);
  if (!node.publicKey) throw new Error('the extended key has no public key');
  return addressFromPublicKey(node.publicKey);
}

/** Full derivation with the private key: for development tools and the sweeper only. */
export function deriveFromMnemonic(
  mnemonic: string,
  account: number,
  index: number,
): { address: TronAddress; privateKeyHex: string } {
  if (!validateMnemonic(mnemonic, wordlist))
    throw new Error('the mnemonic is not a valid BIP39 English phrase');
  assertIndex(index, 'index');
  const node = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive(
    `${accountPath(account)}/0/${index}`,
  );
  if (!node.privateKey || !node.publicKey) throw new Error('derivation gave no key');
  return {
    address: addressFromPublicKey(node.publicKey),
    privateKeyHex: Buffer.from(node.privateKey).toString('hex'),
  };
}
