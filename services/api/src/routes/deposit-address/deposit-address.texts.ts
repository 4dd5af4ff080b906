// What the deposit address screen says to the user, in English and Russian (identical keys; tested).
import type { Language } from '../../lib/user-language.ts';

export const depositAddressTexts = {
  en: {
    notice:
      'Send only USDT on the TRON network (TRC-20) to this address. Deposits below {minimum} USDT are held for review by an operator before they are credited.',
  },
  ru: {
    notice:
      'Отправляйте на этот адрес только USDT в сети TRON (TRC-20). Пополнения меньше {minimum} USDT зачисляются только после проверки оператором.',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type DepositAddressTextKey = keyof (typeof depositAddressTexts)['en'];
