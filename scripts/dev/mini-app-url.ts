// A Mini App link for a development user: Telegram's launch parameters in the URL hash, with an initData signed the
// way Telegram signs it (HMAC-SHA256 keyed by the bot token, by @telegram-apps/init-data-node's sign), so a
// developer opens the app in any browser and the API accepts the session as if Telegram had launched it. Development
// tooling only: the token is the development bot's (development-keys.ts, what `npm run dev` gives the API).
//   node scripts/dev/mini-app-url.ts [--app http://127.0.0.1:8787/app/] [--user alice] [--dark] [--language ru]
//   node scripts/dev/mini-app-url.ts --init-data [--user alice]      (the initData alone, for curl)
import { parseArgs } from 'node:util';
import { sign } from '@telegram-apps/init-data-node';
import { developmentBotToken } from './development-keys.ts';

/** Telegram Desktop's default palettes, as a client sends them in tgWebAppThemeParams. */
export const telegramThemes = {
  light: {
    accent_text_color: '#3390ec',
    bg_color: '#ffffff',
    bottom_bar_bg_color: '#ffffff',
    button_color: '#3390ec',
    button_text_color: '#ffffff',
    destructive_text_color: '#e53935',
    header_bg_color: '#ffffff',
    hint_color: '#707579',
    link_color: '#3390ec',
    secondary_bg_color: '#f4f4f5',
    section_bg_color: '#ffffff',
    section_header_text_color: '#3390ec',
    section_separator_color: '#e7e7e7',
    subtitle_text_color: '#707579',
    text_color: '#000000',
  },
  dark: {
    accent_text_color: '#8774e1',
    bg_color: '#212121',
    bottom_bar_bg_color: '#212121',
    button_color: '#8774e1',
    button_text_color: '#ffffff',
    destructive_text_color: '#ff595a',
    header_bg_color: '#212121',
    hint_color: '#aaaaaa',
    link_color: '#8774e1',
    secondary_bg_color: '#181818',
    section_bg_color: '#212121',
    section_header_text_color: '#8774e1',
    section_separator_color: '#303030',
    subtitle_text_color: '#aaaaaa',
    text_color: '#ffffff',
  },
} as const;

export interface DevelopmentTelegramUser {
  readonly id: number;
  readonly firstName: string;
  readonly username?: string;
  readonly languageCode?: string;
}

export interface MiniAppUrlOptions {
  /** Where the Mini App is served, e.g. http://127.0.0.1:8787/app/ */
  readonly appUrl: string;
  readonly user: DevelopmentTelegramUser;
  readonly botToken?: string;
  readonly theme?: keyof typeof telegramThemes;
  readonly authDate?: Date;
}

/** A development user id from a name, stable across runs: "alice" is always the same Telegram user. */
export function developmentUserId(name: string): number {
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_000_000;
  return 100_000_000 + hash;
}

/** The raw initData string Telegram would hand the Mini App for this user, signed with the bot token. */
export function signDevelopmentInitData(
  user: DevelopmentTelegramUser,
  botToken = developmentBotToken,
  authDate = new Date(),
): string {
  return sign(
    {
      user: {
        id: user.id,
        first_name: user.firstName,
        ...(user.username ? { username: user.username } : {}),
        ...(user.languageCode ? { language_code: user.languageCode } : {}),
        allows_write_to_pm: true,
      },
      chat_instance: '-1000000000000',
      chat_type: 'sender',
    },
    botToken,
    authDate,
  );
}

export function miniAppUrl(options: MiniAppUrlOptions): string {
  const initData = signDevelopmentInitData(options.user, options.botToken, options.authDate);
  const hash = [
    `tgWebAppData=${encodeURIComponent(initData)}`,
    'tgWebAppVersion=8.0',
    'tgWebAppPlatform=tdesktop',
    `tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(telegramThemes[options.theme ?? 'light']))}`,
  ].join('&');
  return `${options.appUrl}#${hash}`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: `http://127.0.0.1:${process.env.API_PORT ?? '8787'}/app/` },
      user: { type: 'string', default: 'alice' },
      language: { type: 'string', default: 'en' },
      dark: { type: 'boolean', default: false },
      'init-data': { type: 'boolean', default: false },
    },
  });
  const name = values.user;
  const user = {
    id: developmentUserId(name),
    firstName: name,
    username: name,
    languageCode: values.language,
  };
  // --init-data: the raw initData alone, for `curl -H "authorization: tma $(...)"` against the user API.
  if (values['init-data']) process.stdout.write(`${signDevelopmentInitData(user)}\n`);
  else
    process.stdout.write(
      `${miniAppUrl({
        appUrl: values.app,
        user: { id: developmentUserId(name), firstName: name, username: name, languageCode: values.language },
        theme: values.dark ? 'dark' : 'light',
      })}\n`,
    );
}
