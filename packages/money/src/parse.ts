// Strict parsing of amounts from the edges. An amount arrives as a decimal string ("12.5" USDT) or, from card
// providers, as an integer string of minor units ("1250" cents). Anything else is refused with a reason: a JSON
// number (never coerced), exponents, whitespace, signs where not allowed, leading zeros, too many decimals.
import type { Asset } from './asset.ts';
import { moneyFromMinor, type Money } from './money.ts';
import { MoneyError } from './money-error.ts';

export interface ParseOptions {
  /** Accept a leading '-'. Off by default: most amounts Cardgate receives are positive. */
  readonly allowNegative?: boolean;
  /** Accept zero. Off by default: a zero transfer, load or fee is a mistake. */
  readonly allowZero?: boolean;
}

/** A decimal string bounded in length before any regex runs, so a huge body cannot cost much time. */
const inputLengthMax = 64;
const decimalPattern = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
const integerPattern = /^(-?)(0|[1-9][0-9]*)$/;

function checkString(input: unknown, asset: Asset): string {
  if (typeof input !== 'string')
    throw new MoneyError(
      'not_a_string',
      `${asset.code} amount must be a decimal string, got ${input === null ? 'null' : typeof input}`,
    );
  if (input.length === 0) throw new MoneyError('empty', `${asset.code} amount is empty`);
  if (input.length > inputLengthMax) throw new MoneyError('out_of_range', `${asset.code} amount is too long`);
  if (/\s/.test(input))
    throw new MoneyError('whitespace', `${asset.code} amount ${JSON.stringify(input)} contains whitespace`);
  if (/[eE]/.test(input))
    throw new MoneyError('exponent', `${asset.code} amount ${JSON.stringify(input)} uses an exponent`);
  if (input.startsWith('+'))
    throw new MoneyError('sign_not_allowed', `${asset.code} amount ${JSON.stringify(input)} has a '+' sign`);
  return input;
}

function finish(minor: bigint, negative: boolean, asset: Asset, text: string, options: ParseOptions): Money {
  if (negative && !options.allowNegative)
    throw new MoneyError(
      'sign_not_allowed',
      `${asset.code} amount ${JSON.stringify(text)} must not be negative`,
    );
  if (minor === 0n && !options.allowZero)
    throw new MoneyError('zero_not_allowed', `${asset.code} amount must not be zero`);
  if (minor > asset.minorMax)
    throw new MoneyError('out_of_range', `${asset.code} amount ${JSON.stringify(text)} is too large`);
  return moneyFromMinor(negative ? -minor : minor, asset);
}

function explainMalformed(text: string, asset: Asset): MoneyError {
  if (/^-?0[0-9]/.test(text))
    return new MoneyError('leading_zero', `${asset.code} amount ${JSON.stringify(text)} has a leading zero`);
  return new MoneyError(
    'malformed',
    `${asset.code} amount ${JSON.stringify(text)} is not a plain decimal number`,
  );
}

/** Parses a decimal string in major units ("12.345678" USDT) into Money, exactly. */
export function parseMoney(input: unknown, asset: Asset, options: ParseOptions = {}): Money {
  const text = checkString(input, asset);
  const match = decimalPattern.exec(text);
  if (!match) throw explainMalformed(text, asset);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > asset.scale)
    throw new MoneyError(
      'too_many_decimals',
      `${asset.code} amount ${JSON.stringify(text)} has ${fraction.length} decimals; ${asset.code} has ${asset.scale}`,
    );
  const minor = BigInt(whole! + fraction.padEnd(asset.scale, '0'));
  return finish(minor, sign === '-', asset, text, options);
}

/** Parses an integer string of minor units ("1250" cents) into Money. */
export function parseMinorUnits(input: unknown, asset: Asset, options: ParseOptions = {}): Money {
  const text = checkString(input, asset);
  const match = integerPattern.exec(text);
  if (!match) throw explainMalformed(text, asset);
  const [, sign, digits] = match;
  return finish(BigInt(digits!), sign === '-', asset, text, options);
}
