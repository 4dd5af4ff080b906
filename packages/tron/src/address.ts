// TRON addresses in their four forms, converted in this one place: base58check `T...` (what users see), `41` + 20
// bytes hex (full-node raw_data), 20-byte hex without prefix (log addresses and topics), and `0x` + 20 bytes (event
// servers). A base58 address with a wrong checksum or prefix is refused.
import { createHash } from 'node:crypto';
import { createBase58check } from '@scure/base';
import { AppError } from '@cardgate/errors';

// Node's native sha256: base58check hashes twice per address, and the watcher converts every transfer it decodes.
const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const base58check = createBase58check(sha256);
const tronPrefixByte = 0x41;

export interface TronAddress {
  /** `T...` base58check, 34 characters. */
  readonly base58: string;
  /** `41` + 40 lower-case hex characters. */
  readonly hex41: string;
  /** 40 lower-case hex characters: the 20-byte account id as logs and topics carry it. */
  readonly hex20: string;
}

export class InvalidAddressError extends AppError {
  constructor(input: string, why: string) {
    super('invalid_input', `${JSON.stringify(input.slice(0, 64))} is not a TRON address: ${why}`, {
      reason: 'invalid_address',
    });
    this.name = 'InvalidAddressError';
  }
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function fromBytes21(bytes: Uint8Array, input: string, base58?: string): TronAddress {
  if (bytes.length !== 21 || bytes[0] !== tronPrefixByte)
    throw new InvalidAddressError(input, 'it does not start with 0x41');
  const hex41 = toHex(bytes);
  // base58check costs two SHA-256 rounds; an address parsed from hex (every log and topic the watcher reads) is
  // encoded only if someone asks for its base58 form, which for most transfers nobody does.
  let encoded = base58;
  return {
    hex41,
    hex20: hex41.slice(2),
    get base58(): string {
      encoded ??= base58check.encode(bytes);
      return encoded;
    },
  };
}

/** Parses any of the four forms. */
export function parseTronAddress(input: string): TronAddress {
  if (typeof input !== 'string') throw new InvalidAddressError(String(input), 'not a string');
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(input)) {
    let bytes: Uint8Array;
    try {
      bytes = base58check.decode(input);
    } catch {
      throw new InvalidAddressError(input, 'bad base58check checksum');
    }
    return fromBytes21(bytes, input, input);
  }
  const hex = input.toLowerCase();
  if (/^41[0-9a-f]{40}$/.test(hex)) return fromBytes21(Buffer.from(hex, 'hex'), input);
  if (/^0x[0-9a-f]{40}$/.test(hex)) return fromBytes21(Buffer.from(`41${hex.slice(2)}`, 'hex'), input);
  if (/^[0-9a-f]{40}$/.test(hex)) return fromBytes21(Buffer.from(`41${hex}`, 'hex'), input);
  throw new InvalidAddressError(input, 'unknown form');
}

export function isTronAddress(input: string): boolean {
  try {
    parseTronAddress(input);
    return true;
  } catch {
    return false;
  }
}

const topicPattern = /^(?:0x)?[0-9a-fA-F]{64}$/;

/**
 * The 20-byte account id (40 lower-case hex characters) in a 32-byte log topic (64 hex characters, with or without
 * 0x). The word may itself carry the 41 byte before the 20 address bytes; only the last 20 bytes are the address.
 * Cheap on purpose: the watcher reads two of these per transfer, hundreds of thousands a minute.
 */
export function hex20FromTopic(topic: string): string {
  if (!topicPattern.test(topic)) throw new InvalidAddressError(topic, 'a topic is 32 bytes of hex');
  return topic.slice(-40).toLowerCase();
}

/** A 32-byte log topic holding an address in its last 20 bytes. */
export function addressFromTopic(topic: string): TronAddress {
  return parseTronAddress(hex20FromTopic(topic));
}

/** The 32-byte word an address occupies in a topic or ABI-encoded argument. */
export function addressToWord(address: TronAddress): string {
  return address.hex20.padStart(64, '0');
}
