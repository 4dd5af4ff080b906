// The bot's words in the user's language: Russian for a Telegram `language_code` of ru, English otherwise. Amounts
// are formatted here from Money (exact decimal text from @cardgate/money, never a float), with at least two decimals
// and the trailing zeros of USDT's six dropped; Russian writes a decimal comma.
import { formatMoney, type Money } from '@cardgate/money';
import { en, type TextKey } from './en.ts';
import { ru } from './ru.ts';

export type Language = 'en' | 'ru';
export const languages: readonly Language[] = ['en', 'ru'];
export const catalogues: Record<Language, Record<TextKey, string>> = { en, ru };
export type { TextKey };

export function languageOf(languageCode: string | null | undefined): Language {
  return languageCode?.toLowerCase().split('-')[0] === 'ru' ? 'ru' : 'en';
}

/** The text for `key` with each `{name}` replaced; a placeholder without a value is an error, not a blank. */
export function say(language: Language, key: TextKey, values: Record<string, string> = {}): string {
  return catalogues[language][key].replaceAll(/\{([a-zA-Z]+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`text ${key}: no value for {${name}}`);
    return value;
  });
}

/** "25.500000" USDT as "25.50" (en) or "25,50" (ru): exact, at least two decimals. */
export function amountText(language: Language, money: Money): string {
  const exact = formatMoney(money);
  const [whole, fraction = ''] = exact.split('.');
  let kept = fraction.replace(/0+$/, '');
  if (kept.length < 2) kept = kept.padEnd(Math.min(2, fraction.length), '0');
  const text = kept === '' ? whole! : `${whole!}.${kept}`;
  return language === 'ru' ? text.replace('.', ',') : text;
}
