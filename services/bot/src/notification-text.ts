// Each notification kind in words, in the user's language. Amounts come as integer minor units (the contract's
// schema checked them) and become Money of the kind's asset: USDT for deposits, USD for card loads, the event's
// currency for card payments and refunds.
import type { ParsedNotification } from '@cardgate/contracts';
import { assetByCode, parseMinorUnits, USD, USDT, type Asset } from '@cardgate/money';
import { amountText, say, type Language } from './texts/index.ts';

const amount = (language: Language, minor: string, asset: Asset) =>
  amountText(language, parseMinorUnits(minor, asset, { allowZero: true }));

/** A card's currency by its code; one the money package does not know is read with USD's two decimals (cards are USD). */
function cardAsset(currency: string): Asset {
  try {
    return assetByCode(currency);
  } catch {
    return USD;
  }
}

export function notificationText(notification: ParsedNotification, language: Language): string {
  switch (notification.kind) {
    case 'deposit_seen':
      return say(language, 'deposit_seen', { amount: amount(language, notification.data.amountMinor, USDT) });
    case 'deposit_credited':
      return say(language, 'deposit_credited', {
        net: amount(language, notification.data.netMinor, USDT),
        gross: amount(language, notification.data.grossMinor, USDT),
        fee: amount(language, notification.data.feeMinor, USDT),
      });
    case 'deposit_held':
      return say(language, 'deposit_held', { amount: amount(language, notification.data.amountMinor, USDT) });
    case 'card_issued':
      return say(language, 'card_issued', { lastFour: notification.data.lastFour });
    case 'card_loaded':
      return say(language, 'card_loaded', { amount: amount(language, notification.data.usdMinor, USD) });
    case 'card_load_failed':
      return say(language, 'card_load_failed', { reason: notification.data.reason });
    case 'card_auto_load_skipped':
      return say(language, 'card_auto_load_skipped', {
        limit: say(language, `limit_${notification.data.limit}`),
        remaining: amount(language, notification.data.remainingMinor, USD),
      });
    case 'card_declined':
      return say(language, 'card_declined', {
        amount: amount(language, notification.data.amountMinor, cardAsset(notification.data.currency)),
        currency: notification.data.currency,
        merchant: notification.data.merchant ?? say(language, 'merchant_unknown'),
        reason: notification.data.reason,
      });
    case 'card_refund':
      return say(language, 'card_refund', {
        amount: amount(language, notification.data.amountMinor, cardAsset(notification.data.currency)),
        currency: notification.data.currency,
        merchant: notification.data.merchant ?? say(language, 'merchant_unknown'),
      });
  }
}
