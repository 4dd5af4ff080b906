// Amounts on the sandbox's wire: strings of integer minor units ("1250" = USD 12.50), never JSON numbers.
// Parsing yields a bigint; anything else (a number, a sign, a decimal point, a leading zero, > 12 digits) is refused.

const amountPattern = /^(0|[1-9][0-9]{0,11})$/;

/** The amount as a bigint, or undefined when `value` is not a well-formed amount string. */
export function parseAmountText(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !amountPattern.test(value)) return undefined;
  return BigInt(value);
}

/** Minor units as the wire's string form; negative values (a balance after a force post) keep their sign. */
export function formatAmount(minor: bigint): string {
  return minor.toString();
}
