// PostgreSQL → JavaScript conversions for every pool Cardgate opens. Money lives in int8 (and, where a wider range
// is needed, numeric(38,0)) columns; slonik's defaults would turn numeric into a float, which must never happen.
import { createTypeParserPreset } from 'slonik';
import type { DriverTypeParser } from '@slonik/driver';

export class NumericParseError extends Error {
  constructor(value: string) {
    super(`numeric value ${value} is not a plain decimal`);
    this.name = 'NumericParseError';
  }
}

const integerPattern = /^-?\d+$/;
const decimalPattern = /^-?\d+\.\d+$/;

/**
 * numeric: an integral value (money in minor units) becomes a bigint; a fractional value (an FX rate) stays the exact
 * decimal string PostgreSQL sent. NaN and infinities are refused rather than passed on.
 */
export function parseNumeric(value: string): bigint | string {
  if (integerPattern.test(value)) return BigInt(value);
  if (decimalPattern.test(value)) return value;
  throw new NumericParseError(value);
}

export function createCardgateTypeParsers(): readonly DriverTypeParser[] {
  const preset = createTypeParserPreset().filter(
    (parser) => parser.name !== 'int8' && parser.name !== 'numeric',
  );
  return [
    ...preset,
    { name: 'int8', parse: (value: string) => BigInt(value) },
    { name: 'numeric', parse: parseNumeric },
  ];
}
