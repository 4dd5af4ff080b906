// @cardgate/telegram-bot-api: a local stand-in of the Telegram Bot API for development and tests (API.md is its
// contract). Never imported by production code.
export { startTelegramStandIn, standInBotToken, type RunningTelegramStandIn } from './stand-in.ts';
export type { StartTelegramStandInOptions } from './stand-in.ts';
export { createStandInClient, type StandInClient, type InjectedUser, type StandInChat } from './client.ts';
export { telegramLimits, type LimitFigures, type LimitSettings } from './limits.ts';
export type { FaultsPatch, StandInFaults } from './faults.ts';
export type { SentMessage } from './store.ts';
