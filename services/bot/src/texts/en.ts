// English texts of the bot. Every key here is in ru.ts too (texts.test.ts checks it). `{name}` is filled in by
// texts.ts; amounts arrive already formatted.
export const en = {
  start_greeting:
    'Hello, {name}! Cardgate turns USDT (TRC-20) into a prepaid card you can spend anywhere.\n\nOpen the app to see your deposit address, your balance and your cards.',
  open_app: 'Open Cardgate',
  menu_button: 'Cardgate',
  command_start: 'Start and open the app',
  command_balance: 'Your balances',
  balance_title: 'Your balances',
  balance_wallet: 'Wallet: {amount} USDT',
  balance_card: 'Card …{card}: {amount} USD available',
  balance_no_cards: 'No cards yet.',
  balance_unknown_user: 'Open the app once first, then ask again.',
  balance_unavailable: 'Balances are unavailable right now. Please try again in a minute.',
  help: 'I know these commands:\n/start: open the app\n/balance: your balances\n\nEverything else is in the app.',
  deposit_seen:
    'We see your deposit of {amount} USDT on the TRON network. It will be credited once the network confirms it, usually in about a minute.',
  deposit_credited:
    'Your deposit is credited: {net} USDT added to your wallet ({gross} USDT received, fee {fee} USDT).',
  deposit_held:
    'Your deposit of {amount} USDT is below the minimum and is being reviewed by our team. We will write to you when it is decided.',
  card_issued: 'Your card …{lastFour} is ready. Load it from your wallet in the app.',
  card_loaded: '{amount} USD were loaded onto your card.',
  card_load_failed:
    'A load of your card did not go through; your USDT stayed in your wallet. Reason: {reason}.',
  card_auto_load_skipped:
    'Your deposit stayed in your wallet: loading it onto your card would pass the {limit} limit ({remaining} USD left of it). Load what fits from the app.',
  limit_perLoad: 'per-load',
  limit_perDay: 'daily',
  limit_perMonth: 'monthly',
  limit_cardBalanceMax: 'card balance',
  card_declined: 'A payment of {amount} {currency} at {merchant} was declined ({reason}).',
  card_refund: 'A refund of {amount} {currency} from {merchant} arrived on your card.',
  merchant_unknown: 'a merchant',
} as const;

export type TextKey = keyof typeof en;
