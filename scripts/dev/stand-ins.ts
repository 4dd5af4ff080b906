// The one place that names where the stand-ins' programs live (they may move; nothing else in scripts/dev spells
// these paths).
export const standInEntries = {
  tronDevnet: 'packages/stand-ins/tron-devnet/src/main.ts',
  tronDevnetSendUsdt: 'packages/stand-ins/tron-devnet/src/send-usdt.ts',
  cardSandbox: 'packages/stand-ins/card-sandbox/src/main.ts',
  telegramBotApi: 'packages/stand-ins/telegram-bot-api/src/main.ts',
} as const;
