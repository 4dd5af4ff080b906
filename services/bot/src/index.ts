// @cardgate/bot: the Telegram bot's parts, for tests and benchmarks that compose it in-process.
export { startBotService, type BotService, type BotServiceOptions } from './bot.ts';
export type { BalanceSource, UserBalances, CardBalance } from './balances.ts';
export { createDeliveryStore } from './delivery-store.ts';
export { telegramSendLimits, type SendLimits } from './send-scheduler.ts';
export { catalogues, languages } from './texts/index.ts';
