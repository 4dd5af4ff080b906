// Integer division with a named rounding mode. There is no default: every caller says which way a remainder goes,
// so nothing is rounded in the user's favour by accident.

export type RoundingMode =
  /** Toward zero: what a payer receives when Cardgate must never give more than it took. */
  | 'down'
  /** Away from zero: what Cardgate charges as a fee when it must never charge less than its rate. */
  | 'up'
  | 'floor'
  | 'ceil'
  /** To nearest, ties to even (banker's rounding): for reports, never for money that moves. */
  | 'half_even'
  | 'half_up';

export const roundingModes: readonly RoundingMode[] = ['down', 'up', 'floor', 'ceil', 'half_even', 'half_up'];

/** numerator / denominator rounded by `mode`; denominator must be positive. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const awayFromZero = negative ? quotient - 1n : quotient + 1n;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'floor':
      return negative ? quotient - 1n : quotient;
    case 'ceil':
      return negative ? quotient : quotient + 1n;
    case 'half_up':
      return twiceRemainder >= denominator ? awayFromZero : quotient;
    case 'half_even':
      if (twiceRemainder > denominator) return awayFromZero;
      if (twiceRemainder < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}
