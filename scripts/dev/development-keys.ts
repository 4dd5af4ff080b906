// Keys of the local development world: public on purpose, never used by a deployment (which states its own bot token
// and deposit xpub). The bot token has the Bot API's form; the mnemonic is the BIP39 test mnemonic.
import { accountExtendedPublicKey } from '@cardgate/tron';

export const developmentBotToken = '7000000001:AAFdevelopmentTokenForCardgateLocal01';
export const developmentMnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const developmentDepositXpub = accountExtendedPublicKey(developmentMnemonic, 0);

/**
 * Development prices (the worker books with them, the API shows them): 0.5 USDT + 1% per deposit, review below
 * 5 USDT, 2 USDT per card, 1.5% FX spread. Each may be overridden by the variable of the same name.
 */
export function developmentPrices(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    DEPOSIT_FEE_FIXED_USDT: env.DEPOSIT_FEE_FIXED_USDT ?? '0.5',
    DEPOSIT_FEE_BPS: env.DEPOSIT_FEE_BPS ?? '100',
    DEPOSIT_REVIEW_BELOW_USDT: env.DEPOSIT_REVIEW_BELOW_USDT ?? '5',
    CARD_ISSUE_FEE_USDT: env.CARD_ISSUE_FEE_USDT ?? '2',
    USDT_USD_RATE: env.USDT_USD_RATE ?? '0.9995',
    FX_SPREAD_BPS: env.FX_SPREAD_BPS ?? '150',
  };
}

/** Limits of a US-style prepaid program ($1,000 on a card), overridable by the variables of the same names. */
export function developmentProgramLimits(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    CARD_LIMIT_PER_LOAD_USD: env.CARD_LIMIT_PER_LOAD_USD ?? '500',
    CARD_LIMIT_DAILY_USD: env.CARD_LIMIT_DAILY_USD ?? '1000',
    CARD_LIMIT_MONTHLY_USD: env.CARD_LIMIT_MONTHLY_USD ?? '3000',
    CARD_BALANCE_MAX_USD: env.CARD_BALANCE_MAX_USD ?? '1000',
  };
}

/** What the API needs beyond the common variables in development: the bot token, the deposit xpub, prices, limits. */
export function developmentApiEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: env.TELEGRAM_BOT_TOKEN ?? developmentBotToken,
    DEPOSIT_ADDRESS_XPUB: developmentDepositXpub,
    ...developmentPrices(env),
    ...developmentProgramLimits(env),
  };
}
