// Proves the API client against a local HTTP server with the real Telegram signature check (the fixture API of
// testing.ts, until issue 10's routes land): every call carries `Authorization: tma <initData>`, a write carries the
// Idempotency-Key it was given, a forged session is a 'session' problem, a refused request keeps the problem's code
// and reason, and a server that does not answer is a 'network' problem — never a raw status for the screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentUserId, signDevelopmentInitData } from '../../../../scripts/dev/mini-app-url.ts';
import { FixtureApi } from '../testing.ts';
import { createApiClient } from './client.ts';
import { ApiProblem, problemKindOf } from './problem.ts';

const botToken = '7000000005:client-test-bot-token';
const user = { id: developmentUserId('client'), firstName: 'client', languageCode: 'en' };
let fixture: FixtureApi;
let origin: string;

beforeAll(async () => {
  fixture = new FixtureApi({ botToken });
  origin = await fixture.listen();
});
afterAll(() => fixture.close());

const clientFor = (initDataRaw: string, baseUrl = origin) =>
  createApiClient({ baseUrl, initDataRaw, languageCode: 'en', requestTimeoutMs: 2_000 });

async function problemOf(call: Promise<unknown>): Promise<ApiProblem> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ApiProblem);
  return outcome as ApiProblem;
}

describe('API client', () => {
  it('signs in with the initData and reads amounts as decimal strings', async () => {
    const initData = signDevelopmentInitData(user, botToken);
    const me = await clientFor(initData).me();
    expect(me.prices.cardIssueFee).toEqual({ amount: '2.000000', asset: 'USDT' });
    expect(fixture.requests.at(-1)?.authorization).toBe(`tma ${initData}`);
  });

  it('sends the Idempotency-Key of a write', async () => {
    // The wallet is empty, so the fixture refuses the card fee: the problem keeps the API's code and reason.
    const problem = await problemOf(clientFor(signDevelopmentInitData(user, botToken)).issueCard('key-1'));
    expect(fixture.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/cards',
      idempotencyKey: 'key-1',
    });
    expect(problem).toMatchObject({
      kind: 'refused',
      status: 422,
      code: 'rule_violation',
      reason: 'insufficient_funds',
    });
  });

  it('turns a forged or an expired session into a session problem', async () => {
    const forged = await problemOf(
      clientFor(signDevelopmentInitData(user, '7000000006:another-bot')).balances(),
    );
    expect(forged).toMatchObject({ kind: 'session', reason: 'init_data_invalid' });
    const old = signDevelopmentInitData(user, botToken, new Date(Date.now() - 2 * 3_600_000));
    expect(await problemOf(clientFor(old).balances())).toMatchObject({ kind: 'session' });
  });

  it('turns no answer into a network problem', async () => {
    const closed = new FixtureApi({ botToken });
    const closedOrigin = await closed.listen();
    await closed.close();
    const problem = await problemOf(clientFor(signDevelopmentInitData(user, botToken), closedOrigin).me());
    expect(problem.kind).toBe('network');
  });

  it('sorts statuses into the kinds the screens put into words', () => {
    expect([401, 404, 409, 422, 429, 500, 503, 400].map(problemKindOf)).toEqual([
      'session',
      'not_found',
      'conflict',
      'refused',
      'rate_limited',
      'unavailable',
      'unavailable',
      'invalid',
    ]);
  });
});
