// Chooses the catalogue from Telegram's language_code (the user's Telegram language) and fills placeholders. Russian
// for any "ru" variant, English for everything else. Amounts are passed in already formatted (src/money).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey } from './en.ts';
import { ru } from './ru.ts';

export type Language = 'en' | 'ru';
export type { MessageKey };
export const catalogues: Record<Language, Record<MessageKey, string>> = { en, ru };

export function languageOf(languageCode: string | undefined): Language {
  return languageCode?.toLowerCase().split(/[-_]/)[0] === 'ru' ? 'ru' : 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string>) => string;

export function translator(language: Language): Translate {
  const catalogue = catalogues[language];
  return (key, values) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => values?.[name] ?? whole);
}

export const LanguageContext = createContext<Language>('en');

export function useTranslate(): Translate {
  return translator(useContext(LanguageContext));
}
