// Proves the Mini App works against the real stack, as a Telegram user meets it: the API (serving the built app at
// /app/), the watcher and the worker run as their own processes beside the TRON devnet and the card sandbox, on real
// PostgreSQL, Redis and Temporal (test/real-stack.ts). Opened in Debian's chromium with launch parameters signed by
// the development bot token, the app shows the user's deposit address and QR code; USDT sent to that address with
// the devnet's send-usdt helper is seen, counts its confirmations and is credited (watcher -> Temporal deposit
// workflow -> ledger), and the balance changes on screen without a reload (server-sent events, fed through Redis). A
// card is issued with its fee shown before the Main button confirms it, loaded through a quote confirmed on the Main
// button (outside Telegram the app draws that button itself: src/telegram/browser-host.ts), and a purchase simulated
// at the card sandbox appears in the card's transactions and balance; the card is frozen and unfrozen at the provider
// and set to auto-load. The app follows Telegram's dark theme and Russian; a forged and an expired initData show the
// session error. Each screen's screenshot goes to test-artifacts/mini-app/journey/; with UPDATE_SCREENSHOTS=1 the
// README's set is written to docs/screenshots/.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessContext, testTaskQueue, useTestDatabase } from '@cardgate/test-harness';
import { developmentBotToken } from '../../../scripts/dev/development-keys.ts';
import { developmentUserId, miniAppUrl } from '../../../scripts/dev/mini-app-url.ts';
import { standInEntries } from '../../../scripts/dev/stand-ins.ts';
import { startRealStack, type RealStack } from '../../../test/real-stack.ts';
import {
  artifactsDirectory,
  ensureBuilt,
  ensureChromium,
  launchChromium,
  repositoryRoot,
} from './browser.testing.ts';

const journeyArtifacts = join(artifactsDirectory, 'journey');
const docsScreenshots = join(repositoryRoot, 'docs', 'screenshots');
/** The devnet's solidity lag: a deposit is final 5 blocks after its own, so the app counts 6 confirmations. */
const solidityLagBlocks = 5;
/** One step on screen: a click's answer, or a live event's re-read, on a busy 2-core machine. */
const stepTimeoutMs = 10_000;
/** From the last block of a deposit to its credit: the watcher, the outbox, the deposit workflow and the ledger. */
const creditTimeoutMs = 20_000;
const journeyTimeoutMs = 90_000;
/** Screenshots worth showing in the README (docs/screenshots/), by their artefact name. */
const documented = new Set([
  '01-home-empty',
  '02-deposit',
  '03-home-deposit-confirming',
  '04-home-credited',
  '05-card-issue',
  '07-load-quote',
  '09-card-purchase',
  '11-home-dark-ru',
  '13-session-error-forged',
]);

const database = useTestDatabase();
let stack: RealStack;
let browser: Browser;

beforeAll(async () => {
  ensureChromium();
  // Before the API starts: it serves the Mini App only when it finds it built.
  ensureBuilt();
  mkdirSync(journeyArtifacts, { recursive: true });
  const harness = harnessContext();
  stack = await startRealStack({
    databaseUrl: database.url,
    redisUrl: harness.redisUrl,
    temporalAddress: harness.temporalAddress,
    temporalNamespace: harness.temporalNamespace,
    label: testTaskQueue('journey'),
    solidityLagBlocks,
    write: (line) => console.log(line),
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface OpenOptions {
  readonly theme?: 'light' | 'dark';
  readonly language?: string;
  readonly botToken?: string;
  readonly authDate?: Date;
}

async function open(options: OpenOptions = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(
    miniAppUrl({
      appUrl: `${stack.apiUrl}/app/`,
      user: { id: developmentUserId('alice'), firstName: 'Alice', languageCode: options.language ?? 'en' },
      theme: options.theme ?? 'light',
      botToken: options.botToken ?? developmentBotToken,
      authDate: options.authDate,
    }),
  );
  return { page, context };
}

const eventually = <Value>(read: () => Value | Promise<Value>, timeoutMs = stepTimeoutMs) =>
  expect.poll(read, { timeout: timeoutMs, interval: 100 });
const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
const mainButton = (page: Page) => page.locator('#tg-main-button');
const backButton = (page: Page) => page.locator('#tg-back-button');

async function shot(page: Page, name: string): Promise<void> {
  const path = join(journeyArtifacts, `${name}.png`);
  await page.screenshot({ path });
  if (process.env.UPDATE_SCREENSHOTS === '1' && documented.has(name)) {
    mkdirSync(docsScreenshots, { recursive: true });
    copyFileSync(path, join(docsScreenshots, `${name}.png`));
  }
}

/** The devnet's own helper, as a developer runs it: USDT from the faucet to an address. */
async function sendUsdt(to: string, amount: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [standInEntries.tronDevnetSendUsdt, to, amount],
    { cwd: repositoryRoot, env: { ...process.env, TRON_DEVNET_URL: stack.devnetUrl } },
  );
  return stdout;
}

/** A call to the card sandbox's API with its key (its card list, its simulate endpoints). */
async function sandbox<Body>(path: string, body?: unknown): Promise<Body> {
  const response = await fetch(`${stack.sandboxUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: stack.sandboxApiKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (await response.json()) as Body;
}

describe('the Mini App on the real stack', () => {
  it(
    'takes a Telegram user from a USDT deposit on chain to a card purchase, live',
    async () => {
      const { page, context } = await open();
      await eventually(() => text(page, 'wallet-balance')).toBe('0.00 USDT');
      await eventually(() => mainButton(page).textContent()).toBe('Deposit USDT');
      await shot(page, '01-home-empty');

      // The deposit address and its QR code, from GET /v1/deposit-address.
      await mainButton(page).click();
      await page.getByTestId('deposit-address').waitFor();
      const address = (await text(page, 'deposit-address')) ?? '';
      expect(address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
      expect(await text(page, 'network-only')).toContain('TRC-20');
      expect(await text(page, 'minimum-deposit')).toBe('Minimum deposit: 5.00 USDT');
      await eventually(() =>
        page.getByTestId('deposit-qr').evaluate((image: HTMLImageElement) => image.naturalWidth),
      ).toBeGreaterThan(0);
      await shot(page, '02-deposit');
      await backButton(page).click();
      await page.getByTestId('wallet-balance').waitFor();

      // USDT sent on the chain: seen in its block, confirming as blocks build on it, credited once final. The page
      // is never reloaded: every change arrives over /v1/events.
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      expect(await sendUsdt(address, '25.5')).toMatch(
        new RegExp(`^sent 25\\.5(0*) USDT to ${address}: transaction `),
      );
      await stack.produceBlocks(1);
      await page.getByTestId('deposit-line').waitFor();
      await stack.produceBlocks(2);
      await eventually(() => text(page, 'deposit-line')).toContain('Confirming: 3 of 6');
      await shot(page, '03-home-deposit-confirming');
      await stack.produceBlocks(solidityLagBlocks - 2);
      // 25.5 USDT less the fee of 0.5 + 1 % = 0.755.
      await eventually(() => text(page, 'wallet-balance'), creditTimeoutMs).toBe('24.745 USDT');
      expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
      await eventually(() => page.getByTestId('deposit-line').count()).toBe(0);
      await shot(page, '04-home-credited');

      // A card: the fee is on screen before the Main button confirms, and the issue carries an Idempotency-Key.
      await page.getByRole('button', { name: 'Get a card' }).click();
      expect(await text(page, 'issue-fee')).toBe('Issuing fee: 2.00 USDT, taken from your USDT balance.');
      await eventually(() => mainButton(page).textContent()).toBe('Get a card for 2.00 USDT');
      await shot(page, '05-card-issue');
      const issueRequest = page.waitForRequest(
        (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/v1/cards',
      );
      await mainButton(page).click();
      expect((await issueRequest).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      await eventually(() => text(page, 'card-state')).toBe('Active');
      expect(await text(page, 'card-balance')).toBe('0.00 USD');
      await shot(page, '06-card-issued');

      // A load through a quote (POST /v1/quotes), confirmed on the Main button (POST /v1/cards/{id}/loads).
      await eventually(() => mainButton(page).textContent()).toBe('Load card');
      await mainButton(page).click();
      await page.getByTestId('load-amount').fill('10');
      await eventually(() => mainButton(page).textContent()).toBe('Get a quote');
      const quoteRequest = page.waitForRequest(
        (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/v1/quotes',
      );
      await mainButton(page).click();
      expect((await quoteRequest).postDataJSON()).toMatchObject({ amount: '10.000000' });
      await page.getByTestId('quote').waitFor();
      // 10 USDT at 0.9995 = 9.99 USD (rounded down), less the 1.5 % spread of 0.15 (rounded up).
      expect(await text(page, 'quote')).toContain('1 USDT = 0.9995 USD');
      expect(await text(page, 'quote')).toContain('0.15 USD');
      expect(await text(page, 'quote-received')).toBe('9.84 USD');
      expect(await text(page, 'quote-validity')).toMatch(/^Valid for \d+ s$/);
      await shot(page, '07-load-quote');
      await eventually(() => mainButton(page).textContent()).toBe('Load 9.84 USD');
      const loadRequest = page.waitForRequest(
        (request) =>
          request.method() === 'POST' && /^\/v1\/cards\/[^/]+\/loads$/.test(new URL(request.url()).pathname),
      );
      await mainButton(page).click();
      expect((await loadRequest).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      await page.getByTestId('load-success').waitFor();
      // The API answers once the USDT is held; the card is loaded at the provider a moment later.
      expect(await text(page, 'load-success')).toMatch(
        /^(Card loaded9\.84 USD was added|Loading your card9\.84 USD is on its way)/,
      );
      await shot(page, '08-load-result');
      await mainButton(page).click();
      await eventually(() => text(page, 'wallet-balance')).toBe('12.745 USDT');
      const cardLine = page.getByTestId('card-line');
      await eventually(() => cardLine.locator('.amount').textContent(), creditTimeoutMs).toBe('9.84 USD');

      // A purchase at the card sandbox: authorized (pending), then cleared; the card screen shows it as it happens.
      await cardLine.click();
      await page.getByTestId('card-transactions').waitFor();
      const cards = await sandbox<{ data: { token: string }[] }>('/v1/cards');
      expect(cards.data).toHaveLength(1);
      const authorization = await sandbox<{ token: string; result: string }>('/v1/simulate/authorize', {
        card_token: cards.data[0]!.token,
        amount: '125',
        descriptor: 'COFFEE SHOP',
        mcc: '5814',
      });
      expect(authorization.result).toBe('APPROVED');
      await eventually(() => text(page, 'card-transaction')).toContain('Pending');
      expect(await text(page, 'card-transaction')).toContain('COFFEE SHOP');
      await sandbox('/v1/simulate/clearing', { token: authorization.token });
      await eventually(() => text(page, 'card-transaction')).toContain('Completed');
      expect(await page.getByTestId('card-transaction').count()).toBe(1);
      expect(await text(page, 'card-transaction')).toContain('-1.25 USD');
      await eventually(() => text(page, 'card-balance')).toBe('8.59 USD');
      expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
      await shot(page, '09-card-purchase');

      // Freeze at the provider (the screen says so while it is on its way; loading waits), unfreeze, auto-load on.
      await page.getByTestId('freeze-toggle').click();
      await eventually(() => text(page, 'card-state')).toBe('Frozen');
      expect(await mainButton(page).isDisabled()).toBe(true);
      await page.getByTestId('freeze-toggle').click();
      await eventually(() => text(page, 'card-state')).toBe('Active');
      await eventually(() => mainButton(page).isDisabled()).toBe(false);
      await page.getByTestId('auto-load').click();
      await eventually(() => page.getByTestId('auto-load').isChecked()).toBe(true);

      // The statement: the deposit and its fee, the card's fee, the load and the purchase.
      await backButton(page).click();
      await page.getByRole('button', { name: 'History' }).click();
      await eventually(() => page.getByTestId('statement-line').count()).toBeGreaterThanOrEqual(5);
      await shot(page, '10-history');
      await context.close();
    },
    journeyTimeoutMs,
  );

  it('follows Telegram dark theme and Russian', async () => {
    const { page, context } = await open({ theme: 'dark', language: 'ru' });
    await page.getByTestId('wallet-balance').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(24, 24, 24)',
    );
    expect(await text(page, 'wallet')).toContain('Баланс USDT');
    await eventually(() => mainButton(page).textContent()).toBe('Пополнить USDT');
    await shot(page, '11-home-dark-ru');
    await page.getByTestId('card-line').click();
    await eventually(() => text(page, 'card-state')).toBe('Активна');
    await eventually(() => text(page, 'card-transaction')).toContain('Выполнено');
    await shot(page, '12-card-dark-ru');
    await context.close();
  });

  it('shows the session error for a forged or an expired initData', async () => {
    for (const [name, options] of [
      ['forged', { botToken: '7000000003:AAFanotherBotTokenNotCardgates0001' }],
      ['expired', { authDate: new Date(Date.now() - 2 * 3_600_000) }],
    ] as const) {
      const { page, context } = await open(options);
      await page.getByTestId('problem-session').waitFor();
      const shown = await text(page, 'problem-session');
      expect(shown).toContain('Your session has expired');
      expect(shown).not.toMatch(/401/);
      await eventually(() => mainButton(page).isHidden()).toBe(true);
      await shot(page, `13-session-error-${name}`);
      await context.close();
    }
  });
});
