// Proves the two catalogues say the same things: every key of English is in Russian and the other way round, no
// message is empty or left untranslated by accident, each translation has exactly the placeholders of the English
// message, and the language is chosen from Telegram's language_code.
import { describe, expect, it } from 'vitest';
import { catalogues, languageOf, translator } from './i18n.ts';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

describe('message catalogues', () => {
  it('have the same keys in English and Russian', () => {
    expect(Object.keys(catalogues.ru).sort()).toEqual(Object.keys(catalogues.en).sort());
  });

  it('have the same placeholders in every message and no empty message', () => {
    for (const [key, english] of Object.entries(catalogues.en)) {
      const russian = catalogues.ru[key as keyof typeof catalogues.en];
      expect(english.trim(), key).not.toBe('');
      expect(russian.trim(), key).not.toBe('');
      expect(placeholders(russian), key).toEqual(placeholders(english));
    }
  });

  it('translates the sentences (only names and codes may read the same in both)', () => {
    const same = Object.entries(catalogues.en).filter(
      ([key, english]) => catalogues.ru[key as keyof typeof catalogues.en] === english,
    );
    expect(same.map(([key]) => key)).toEqual(['app.title', 'load.rateValue']);
  });
});

describe('language choice', () => {
  it('takes Russian for ru and its variants, English otherwise', () => {
    expect(languageOf('ru')).toBe('ru');
    expect(languageOf('RU-ru')).toBe('ru');
    expect(languageOf('en')).toBe('en');
    expect(languageOf('uk')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('ru');
    expect(t('deposit.state.confirming', { done: '3', needed: '19' })).toBe('Подтверждения: 3 из 19');
    expect(translator('en')('home.pendingAmount')).toBe('{amount} on the way');
  });
});
