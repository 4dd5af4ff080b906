// Where the bot of `npm run dev` talks to: Telegram itself when BOT_TOKEN is set, else the local Bot API stand-in
// (started beside the other stand-ins, state in .cardgate/telegram-bot-api) with the stand-in's token.
import { standInBotToken } from '@cardgate/telegram-bot-api';
import { devPaths } from './state.ts';
import { standInEntries } from './stand-ins.ts';

export interface TelegramSetup {
  readonly standIns: { name: string; entry: string; healthUrl: string; env: Record<string, string> }[];
  readonly botEnvironment: Record<string, string>;
  readonly endpoints: Record<string, string>;
}

export function telegramSetup(botToken: string | undefined, standInPort: number): TelegramSetup {
  if (botToken !== undefined && botToken !== '')
    return {
      standIns: [],
      botEnvironment: { BOT_TOKEN: botToken },
      endpoints: { Telegram: 'the real Bot API (BOT_TOKEN is set)' },
    };
  const url = `http://127.0.0.1:${standInPort}`;
  return {
    standIns: [
      {
        name: 'telegram-stand-in',
        entry: standInEntries.telegramBotApi,
        healthUrl: `${url}/health`,
        env: {
          TELEGRAM_STAND_IN_PORT: String(standInPort),
          TELEGRAM_STAND_IN_TOKEN: standInBotToken,
          TELEGRAM_STAND_IN_STATE_DIR: devPaths.telegramStandInStateDirectory,
        },
      },
    ],
    botEnvironment: { BOT_TOKEN: standInBotToken, TELEGRAM_API_ROOT: url },
    endpoints: {
      'Telegram stand-in': `${url}  (be a user: curl -d '{"from":{"id":1,"first_name":"Dev"},"text":"/start"}' -H 'content-type: application/json' ${url}/stand-in/updates; read: ${url}/stand-in/messages)`,
    },
  };
}
