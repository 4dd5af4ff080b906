// The statement's descriptions, in English and Russian (identical keys and placeholders; tested). A key names what
// happened from the user's side; "pending" ones are reserved or announced, not yet moved.
import type { Language } from '../../lib/user-language.ts';

export const statementTexts = {
  en: {
    deposit: 'USDT deposit',
    depositHeld: 'USDT deposit held for review',
    depositFee: 'Deposit fee',
    cardIssueFee: 'Card issue fee',
    cardIssueFeePending: 'Card issue fee (the card is being issued)',
    loadToCard: 'Sent to your card',
    loadToCardPending: 'Being sent to your card',
    loadFromWallet: 'Card top-up from your USDT wallet',
    loadFromWalletPending: 'Card top-up from your USDT wallet (in progress)',
    cardPayment: 'Card payment',
    cardPaymentPending: 'Card payment (authorized, not yet settled)',
    cardRefund: 'Refund to your card',
    cardRefundPending: 'Refund to your card (not yet settled)',
    otherCredit: 'Credit',
    otherCreditPending: 'Credit (pending)',
    otherDebit: 'Debit',
    otherDebitPending: 'Debit (pending)',
  },
  ru: {
    deposit: 'Пополнение USDT',
    depositHeld: 'Пополнение USDT на проверке',
    depositFee: 'Комиссия за пополнение',
    cardIssueFee: 'Плата за выпуск карты',
    cardIssueFeePending: 'Плата за выпуск карты (карта выпускается)',
    loadToCard: 'Перевод на вашу карту',
    loadToCardPending: 'Перевод на вашу карту выполняется',
    loadFromWallet: 'Пополнение карты из кошелька USDT',
    loadFromWalletPending: 'Пополнение карты из кошелька USDT (выполняется)',
    cardPayment: 'Оплата картой',
    cardPaymentPending: 'Оплата картой (авторизована, ещё не списана)',
    cardRefund: 'Возврат на карту',
    cardRefundPending: 'Возврат на карту (ещё не зачислен)',
    otherCredit: 'Зачисление',
    otherCreditPending: 'Зачисление (ожидается)',
    otherDebit: 'Списание',
    otherDebitPending: 'Списание (ожидается)',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type StatementTextKey = keyof (typeof statementTexts)['en'];
