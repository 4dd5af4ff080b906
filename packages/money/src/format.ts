// Exact formatting. The canonical decimal form always has exactly `scale` decimals ("1.500000" USDT, "0.10" USD), so
// parseMoney(formatMoney(x)) == x for every x and two equal amounts always print the same.
import { assetByCode } from './asset.ts';
import { moneyFromMinor, type Money } from './money.ts';
import { MoneyError } from './money-error.ts';
import { parseMoney } from './parse.ts';

export function formatMoney(money: Money): string {
  const negative = money.minor < 0n;
  const digits = (negative ? -money.minor : money.minor).toString().padStart(money.asset.scale + 1, '0');
  const whole = digits.slice(0, digits.length - money.asset.scale);
  const fraction = digits.slice(digits.length - money.asset.scale);
  return `${negative ? '-' : ''}${whole}${money.asset.scale > 0 ? `.${fraction}` : ''}`;
}

/** Integer string of minor units, for wire formats that carry minor units (card providers). */
export function formatMinor(money: Money): string {
  return money.minor.toString();
}

export interface MoneyJson {
  readonly amount: string;
  readonly asset: string;
}

export function moneyToJson(money: Money): MoneyJson {
  return { amount: formatMoney(money), asset: money.asset.code };
}

/** Reads `{ amount: "12.50", asset: "USD" }` exactly; any other shape, or a numeric amount, is refused. */
export function moneyFromJson(
  value: unknown,
  options: { allowNegative?: boolean; allowZero?: boolean } = {},
): Money {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MoneyError('malformed', 'money must be an object { amount, asset }');
  const keys = Object.keys(value).sort();
  if (keys.length !== 2 || keys[0] !== 'amount' || keys[1] !== 'asset')
    throw new MoneyError('malformed', 'money must have exactly the fields amount and asset');
  const record = value as Record<string, unknown>;
  const asset = assetByCode(record.asset);
  return parseMoney(record.amount, asset, options);
}

export { moneyFromMinor };
