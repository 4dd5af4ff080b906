// The language user-facing text is written in: Russian for a Telegram language code starting with "ru", English
// otherwise. Every catalogue has both, with identical keys.
import { formatMoney, type Money } from '@cardgate/money';
import type { User } from '@cardgate/users';

export const languages = ['en', 'ru'] as const;
export type Language = (typeof languages)[number];

export function languageOf(user: Pick<User, 'languageCode'>): Language {
  return user.languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** A catalogue text with its `{name}` placeholders filled; a placeholder without a value stays visible. */
export function fillText(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The placeholders a text uses, sorted: the catalogue tests check both languages use the same ones. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1]!).sort();
}

/** An amount as a person reads it: the canonical decimal form without trailing zeros ("5", "0.755", "48.2"). */
export function displayAmount(amount: Money): string {
  const text = formatMoney(amount);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
