// Amounts on screen, from the API's decimal strings only. Each amount is first read exactly by the money package
// (parseMoney: a JSON number, an exponent or too many decimals is refused, never rounded), then shown with the
// user's grouping and decimal signs by Intl.NumberFormat, which formats a decimal STRING exactly (ECMA-402
// NumberFormat v3): no amount ever becomes a JavaScript number, and the front end does no arithmetic on money.
import { assetByCode, formatMoney, parseMoney, USDT, type Money } from '@cardgate/money';
import type { Language } from '../i18n/i18n.ts';

export interface MoneyText {
  readonly amount: string;
  readonly asset: string;
}

const locales: Record<Language, string> = { en: 'en-US', ru: 'ru-RU' };

/** Reads a wire amount exactly; zero and negative amounts are allowed (a balance, a statement line). */
export function readMoney(value: MoneyText): Money {
  return parseMoney(value.amount, assetByCode(value.asset), { allowZero: true, allowNegative: true });
}

/**
 * "1,234.5 USDT" / "1 234,5 USDT": at least 2 decimals, at most the asset's scale, trailing zeros beyond 2 dropped.
 * An amount the money package refuses is shown as a dash rather than guessed at.
 */
export function formatAmount(
  value: MoneyText,
  language: Language,
  options: { signed?: boolean } = {},
): string {
  let canonical: string;
  let code: string;
  let scale: number;
  try {
    const money = readMoney(value);
    canonical = formatMoney(money);
    code = money.asset.code;
    scale = money.asset.scale;
  } catch {
    return '—';
  }
  const format = new Intl.NumberFormat(locales[language], {
    minimumFractionDigits: Math.min(2, scale),
    maximumFractionDigits: scale,
    signDisplay: options.signed ? 'exceptZero' : 'auto',
  });
  // The string overload formats the decimal exactly; TypeScript's lib still types it as number | bigint.
  return `${format.format(canonical as unknown as bigint)} ${code}`;
}

export type AmountInputProblem = 'empty' | 'malformed' | 'tooManyDecimals' | 'zero' | 'tooLarge';

/**
 * What the user typed into an amount field, as the canonical decimal string the API expects, or why it is not an
 * amount. A comma is taken as the decimal sign (Russian keyboards offer it).
 */
export function readAmountInput(
  text: string,
  asset = USDT,
): { ok: true; amount: MoneyText } | { ok: false; problem: AmountInputProblem } {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { ok: false, problem: 'empty' };
  try {
    const money = parseMoney(trimmed.replace(/^0+(?=\d)/, ''), asset);
    return { ok: true, amount: { amount: formatMoney(money), asset: asset.code } };
  } catch (error) {
    const reason = (error as { reason?: string }).reason;
    if (reason === 'too_many_decimals') return { ok: false, problem: 'tooManyDecimals' };
    if (reason === 'zero_not_allowed') return { ok: false, problem: 'zero' };
    if (reason === 'out_of_range') return { ok: false, problem: 'tooLarge' };
    return { ok: false, problem: 'malformed' };
  }
}

/** True when a balance part is not zero, decided on the exact value (a pending "0.000000" is not shown). */
export function isNonZero(value: MoneyText): boolean {
  try {
    return readMoney(value).minor !== 0n;
  } catch {
    return false;
  }
}

/**
 * Basis points ("150") as a percent for people ("1.5", "1,5" in Russian), by moving the decimal point in the text:
 * a fee rate is shown, never computed with. Anything but a plain non-negative integer string is shown as a dash.
 */
export function formatBasisPointsAsPercent(basisPoints: string, language: Language): string {
  if (typeof basisPoints !== 'string' || !/^(0|[1-9][0-9]{0,8})$/.test(basisPoints)) return '—';
  const digits = basisPoints.padStart(3, '0');
  const whole = digits.slice(0, -2);
  const fraction = digits.slice(-2).replace(/0+$/, '');
  const decimal = fraction === '' ? whole : `${whole}.${fraction}`;
  // The string overload formats the decimal exactly (see formatAmount).
  return new Intl.NumberFormat(locales[language], { maximumFractionDigits: 2 }).format(
    decimal as unknown as bigint,
  );
}
