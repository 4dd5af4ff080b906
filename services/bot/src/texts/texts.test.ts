// Proves the two catalogues say the same things: identical keys, the same placeholders in each text, no empty text;
// the language follows Telegram's language_code; amounts print exactly from Money in each language's form.
import { describe, expect, it } from 'vitest';
import { moneyFromMinor, USD, USDT } from '@cardgate/money';
import { amountText, catalogues, languageOf, say } from './index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1]).sort();

describe('bot texts', () => {
  it('has the same keys and placeholders in English and Russian', () => {
    expect(Object.keys(catalogues.ru).sort()).toEqual(Object.keys(catalogues.en).sort());
    for (const key of Object.keys(catalogues.en) as (keyof typeof catalogues.en)[]) {
      expect(placeholders(catalogues.ru[key]), key).toEqual(placeholders(catalogues.en[key]));
      expect(catalogues.ru[key].trim(), key).not.toBe('');
    }
  });

  it('chooses Russian for ru and English for anything else', () => {
    expect(languageOf('ru')).toBe('ru');
    expect(languageOf('RU-ru')).toBe('ru');
    expect(languageOf('en')).toBe('en');
    expect(languageOf('de')).toBe('en');
    expect(languageOf(null)).toBe('en');
  });

  it('prints amounts exactly, with at least two decimals, and a decimal comma in Russian', () => {
    expect(amountText('en', moneyFromMinor(25_500_000n, USDT))).toBe('25.50');
    expect(amountText('en', moneyFromMinor(24_745_001n, USDT))).toBe('24.745001');
    expect(amountText('ru', moneyFromMinor(1250n, USD))).toBe('12,50');
    expect(amountText('en', moneyFromMinor(0n, USD))).toBe('0.00');
  });

  it('refuses a text whose placeholder has no value', () => {
    expect(() => say('en', 'balance_wallet')).toThrow(/no value for \{amount\}/);
  });
});
