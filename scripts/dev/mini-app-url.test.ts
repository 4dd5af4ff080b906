// Proves the development Mini App link carries what Telegram would put in the hash: an initData that validates with
// the bot token it was signed with (and not with another), the user's language, version, platform and the chosen
// theme; and that a user name always maps to the same Telegram user id.
import { validate } from '@telegram-apps/init-data-node';
import { describe, expect, it } from 'vitest';
import { developmentBotToken } from './development-keys.ts';
import { developmentUserId, miniAppUrl, telegramThemes } from './mini-app-url.ts';

describe('development Mini App link', () => {
  it('carries a correctly signed initData and the launch parameters in the hash', () => {
    const url = new URL(
      miniAppUrl({
        appUrl: 'http://127.0.0.1:8787/app/',
        user: { id: developmentUserId('alice'), firstName: 'alice', languageCode: 'ru' },
        theme: 'dark',
      }),
    );
    expect(url.pathname).toBe('/app/');
    const hash = new URLSearchParams(url.hash.slice(1));
    const initData = hash.get('tgWebAppData')!;
    expect(() => validate(initData, developmentBotToken)).not.toThrow();
    expect(() => validate(initData, '7000000009:some-other-bot')).toThrow();
    const user = JSON.parse(new URLSearchParams(initData).get('user')!) as Record<string, unknown>;
    expect(user).toMatchObject({ id: developmentUserId('alice'), language_code: 'ru' });
    expect(hash.get('tgWebAppVersion')).toBe('8.0');
    expect(hash.get('tgWebAppPlatform')).toBe('tdesktop');
    expect(JSON.parse(hash.get('tgWebAppThemeParams')!)).toEqual(telegramThemes.dark);
  });

  it('refuses a tampered initData and one older than the allowed age', () => {
    const user = { id: developmentUserId('bob'), firstName: 'bob' };
    const url = miniAppUrl({ appUrl: 'http://x/app/', user, authDate: new Date(Date.now() - 7_200_000) });
    const initData = new URLSearchParams(new URL(url).hash.slice(1)).get('tgWebAppData')!;
    expect(() => validate(initData, developmentBotToken, { expiresIn: 3_600 })).toThrow();
    expect(() => validate(initData.replace('bob', 'eve'), developmentBotToken, { expiresIn: 0 })).toThrow();
  });

  it('maps a name to the same user id every time, and different names apart', () => {
    expect(developmentUserId('alice')).toBe(developmentUserId('alice'));
    expect(developmentUserId('alice')).not.toBe(developmentUserId('bob'));
  });
});
