// Runs the public test vector of the validating library (@telegram-apps/init-data-node's own validate test: its bot
// token and a signed initData dated auth_date=1, with a query_id and a receiver) through the API's sign-in: accepted
// at a clock one minute after it was signed, refused as expired an hour and a second after, refused as forged with
// another token, and refused as forged when one character of it changes.
import { describe, expect, it } from 'vitest';
import { bodyOf, useTestApi } from '../../testing.ts';

const libraryVectorToken = '5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8';
const libraryVector =
  'auth_date=1&can_send_after=10000&chat=%7B%22id%22%3A1%2C%22type%22%3A%22group%22%2C%22title%22%3A%22chat-title%22%2C%22photo_url%22%3A%22group%22%2C%22username%22%3A%22my-chat%22%7D&chat_instance=888&chat_type=sender&hash=47cfa22e72b887cba90c9cb833c5ea0f599975b6ce7193741844b5c4a4228b40&query_id=QUERY&receiver=%7B%22added_to_attachment_menu%22%3Afalse%2C%22allows_write_to_pm%22%3Atrue%2C%22first_name%22%3A%22receiver-first-name%22%2C%22id%22%3A991%2C%22is_bot%22%3Afalse%2C%22is_premium%22%3Atrue%2C%22language_code%22%3A%22ru%22%2C%22last_name%22%3A%22receiver-last-name%22%2C%22photo_url%22%3A%22receiver-photo%22%2C%22username%22%3A%22receiver-username%22%7D&start_param=debug&user=%7B%22added_to_attachment_menu%22%3Afalse%2C%22allows_write_to_pm%22%3Afalse%2C%22first_name%22%3A%22user-first-name%22%2C%22id%22%3A222%2C%22is_bot%22%3Atrue%2C%22is_premium%22%3Afalse%2C%22language_code%22%3A%22en%22%2C%22last_name%22%3A%22user-last-name%22%2C%22photo_url%22%3A%22user-photo%22%2C%22username%22%3A%22user-username%22%7D';

let clockMs = 61_000;
const api = useTestApi({ botToken: libraryVectorToken, now: () => new Date(clockMs) });
const other = useTestApi({
  botToken: '5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx9',
  now: () => new Date(61_000),
});

describe('the validating library public test vector', () => {
  it('signs in the vector user while the initData is fresh', async () => {
    clockMs = 61_000;
    const response = await api.app.request('/v1/me', { headers: { authorization: `tma ${libraryVector}` } });
    expect(response.status).toBe(200);
    expect((await bodyOf(response)).user).toMatchObject({
      telegramUserId: '222',
      firstName: 'user-first-name',
      username: 'user-username',
      languageCode: 'en',
    });
  });

  it('refuses it as expired past the maximum age', async () => {
    clockMs = 1_000 + 3_601_000;
    const response = await api.app.request('/v1/me', { headers: { authorization: `tma ${libraryVector}` } });
    expect(response.status).toBe(401);
    expect((await bodyOf(response)).reason).toBe('init_data_expired');
  });

  it('refuses it as forged under another bot token or with one character changed', async () => {
    const underOtherToken = await other.app.request('/v1/me', {
      headers: { authorization: `tma ${libraryVector}` },
    });
    expect(underOtherToken.status).toBe(401);
    expect((await bodyOf(underOtherToken)).reason).toBe('init_data_forged');
    clockMs = 61_000;
    const changed = libraryVector.replace('%22id%22%3A222', '%22id%22%3A223');
    const response = await api.app.request('/v1/me', { headers: { authorization: `tma ${changed}` } });
    expect(response.status).toBe(401);
    expect((await bodyOf(response)).reason).toBe('init_data_forged');
  });
});
