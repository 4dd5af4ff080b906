// Proves, in a real browser (Debian's headless chromium), that the built Mini App works as a user meets it: opened
// with Telegram's signed launch parameters it shows the balance and a deposit's confirmations, and the balance
// changes without a reload when the deposit is credited (server-sent events); the Main button opens the deposit
// screen (address, QR, "TRC-20 USDT only", minimum, copy with haptic feedback) and the Back button returns; a card is
// issued with its fee shown first (an Idempotency-Key sent), frozen, unfrozen, set to auto-load, loaded through a
// quote confirmed on the Main button, and a purchase appears in its transactions; the statement pages as it
// scrolls; dark theme and Russian follow Telegram's theme and language; a forged or expired session, a failed load
// and a lost connection are said in words. The /v1 routes come from the fixture server in testing.ts (in the API's
// shapes), which provokes what the real stack gives only by chance; journey.browser.test.ts walks the real stack.
// Screenshots of each screen go to test-artifacts/mini-app/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentUserId, miniAppUrl } from '../../../scripts/dev/mini-app-url.ts';
import { artifactsDirectory, ensureBuilt, ensureChromium, launchChromium } from './browser.testing.ts';
import { FixtureApi } from './testing.ts';

const botToken = '7000000002:browser-test-bot-token';
const journeyTimeoutMs = 90_000;
const stepTimeoutMs = 10_000;

let fixture: FixtureApi;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  ensureChromium();
  ensureBuilt();
  fixture = new FixtureApi({ botToken });
  origin = await fixture.listen();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

interface OpenOptions {
  readonly theme?: 'light' | 'dark';
  readonly language?: string;
  readonly token?: string;
  readonly authDate?: Date;
}

async function open(options: OpenOptions = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  const url = miniAppUrl({
    appUrl: `${origin}/app/`,
    user: { id: developmentUserId('alice'), firstName: 'Alice', languageCode: options.language ?? 'en' },
    theme: options.theme ?? 'light',
    botToken: options.token ?? botToken,
    authDate: options.authDate,
  });
  await page.goto(url);
  return { page, context };
}

/** Waits for what the page shows to match, as long as one step may take on a busy machine (vitest's default: 1 s). */
const eventually = <Value>(read: () => Value | Promise<Value>) =>
  expect.poll(read, { timeout: stepTimeoutMs, interval: 50 });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(artifactsDirectory, `${name}.png`), fullPage: true });
const mainButton = (page: Page) => page.locator('#tg-main-button');
const backButton = (page: Page) => page.locator('#tg-back-button');
const hapticsSent = (page: Page) =>
  page.evaluate(() =>
    (window.cardgateBrowserHost?.events ?? [])
      .filter((event) => event.name === 'web_app_trigger_haptic_feedback')
      .map((event) => (event.params as { notification_type?: string }).notification_type),
  );

describe('the Mini App in chromium', () => {
  it(
    'takes a user from a deposit to a loaded card and their history, live and through the Telegram buttons',
    async () => {
      const deposit = fixture.seeDeposit('25.5', 3);
      const startedMs = Date.now();
      const { page, context } = await open();
      await eventually(() => page.getByTestId('wallet-balance').textContent()).toBe('0.00 USDT');
      const firstScreenMs = Date.now() - startedMs;
      writeFileSync(join(artifactsDirectory, 'first-screen.json'), `${JSON.stringify({ firstScreenMs })}\n`);
      expect(await page.getByTestId('deposit-line').textContent()).toContain('Confirming: 3 of 19');
      await eventually(() => mainButton(page).textContent()).toBe('Deposit USDT');
      await eventually(() => backButton(page).isHidden()).toBe(true);
      await shot(page, '01-home-deposit-confirming');

      // Credited while the page is open: the balance changes over the event stream, with no reload.
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      fixture.creditDeposit(deposit.id, '24.745');
      await eventually(() => page.getByTestId('wallet-balance').textContent()).toBe('24.745 USDT');
      expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
      expect(await page.getByTestId('deposit-line').count()).toBe(0);
      await shot(page, '02-home-credited');

      // Deposit screen through the Main button; copy on the Main button; back through the Back button.
      await mainButton(page).click();
      await page.getByTestId('deposit-address').waitFor();
      expect(await page.getByTestId('deposit-address').textContent()).toBe(
        'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
      );
      expect(await page.getByTestId('network-only').textContent()).toContain('TRC-20');
      expect(await page.getByTestId('minimum-deposit').textContent()).toBe('Minimum deposit: 5.00 USDT');
      expect(
        await page.getByTestId('deposit-qr').evaluate((image: HTMLImageElement) => image.naturalWidth),
      ).toBeGreaterThan(0);
      await eventually(() => backButton(page).isVisible()).toBe(true);
      await shot(page, '03-deposit');
      await mainButton(page).click();
      await eventually(() => mainButton(page).textContent()).toBe('Address copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
      );
      expect(await hapticsSent(page)).toContain('success');
      await backButton(page).click();
      await page.getByTestId('wallet-balance').waitFor();
      await eventually(() => backButton(page).isHidden()).toBe(true);

      // Issue a card: the fee is on screen before the Main button confirms it.
      await page.getByRole('button', { name: 'Get a card' }).click();
      expect(await page.getByTestId('issue-fee').textContent()).toBe(
        'Issuing fee: 2.00 USDT, taken from your USDT balance.',
      );
      await eventually(() => mainButton(page).textContent()).toBe('Get a card for 2.00 USDT');
      await shot(page, '04-card-issue');
      await mainButton(page).click();
      await page.getByTestId('card-balance').waitFor();
      expect(await page.getByTestId('card-balance').textContent()).toBe('0.00 USD');
      const issue = fixture.requests.find(
        (request) => request.method === 'POST' && request.path === '/v1/cards',
      );
      expect(issue?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(issue?.authorization).toMatch(/^tma user=/);
      expect(fixture.cards).toHaveLength(1);
      const cardId = fixture.cards[0]!.id;

      // Auto-load on, freeze (the Main button's load is disabled meanwhile), unfreeze.
      await page.getByTestId('auto-load').click();
      await eventually(() => fixture.cards[0]!.autoLoad).toBe(true);
      await page.getByTestId('freeze-toggle').click();
      await eventually(() => page.getByTestId('card-state').textContent()).toBe('Frozen');
      await eventually(() => mainButton(page).isDisabled()).toBe(true);
      await shot(page, '05-card-frozen');
      await page.getByTestId('freeze-toggle').click();
      await eventually(() => page.getByTestId('card-state').textContent()).toBe('Active');

      // Load through a quote confirmed on the Main button.
      await mainButton(page).click();
      await page.getByTestId('load-amount').fill('10');
      await eventually(() => mainButton(page).textContent()).toBe('Get a quote');
      await mainButton(page).click();
      await page.getByTestId('quote').waitFor();
      const quote = await page.getByTestId('quote').textContent();
      expect(quote).toContain('1 USDT = 0.9995 USD');
      expect(quote).toContain('0.15 USD'); // spread: 1.5 % of 9.99, rounded up
      expect(await page.getByTestId('quote-received').textContent()).toBe('9.84 USD');
      expect(await page.getByTestId('quote-validity').textContent()).toMatch(/^Valid for \d+ s$/);
      await shot(page, '06-load-quote');
      await eventually(() => mainButton(page).textContent()).toBe('Load 9.84 USD');
      await mainButton(page).click();
      await page.getByTestId('load-success').waitFor();
      expect(await page.getByTestId('load-success').textContent()).toContain(
        '9.84 USD was added to your card.',
      );
      await shot(page, '07-load-result');
      await mainButton(page).click();
      await eventually(() => page.getByTestId(`card-balance-${cardId}`).textContent()).toBe('9.84 USD');
      expect(await page.getByTestId('wallet-balance').textContent()).toBe('12.745 USDT');

      // A purchase shows in the card's transactions while the card screen is open.
      await page.getByTestId('card-line').click();
      await page.getByTestId('card-transactions').waitFor();
      fixture.spend(cardId, 'COFFEE SHOP', '1.25');
      await eventually(() => page.getByTestId('card-transaction').count()).toBe(1);
      expect(await page.getByTestId('card-transaction').textContent()).toContain('COFFEE SHOP');
      await eventually(() => page.getByTestId('card-balance').textContent()).toBe('8.59 USD');
      await shot(page, '08-card');
      await backButton(page).click();

      // History pages as the user scrolls: 45 lines in pages of 20.
      await page.getByRole('button', { name: 'History' }).click();
      await eventually(() => page.getByTestId('statement-line').count()).toBeGreaterThanOrEqual(20);
      // Each scroll to the end must bring more lines or the end of the statement.
      const scrollsMax = 10;
      const ended = async () => (await page.getByTestId('statement-end').count()) > 0;
      for (let scroll = 0; scroll < scrollsMax && !(await ended()); scroll += 1) {
        const shown = await page.getByTestId('statement-line').count();
        await page.locator('.sentinel').scrollIntoViewIfNeeded();
        await eventually(
          async () => (await page.getByTestId('statement-line').count()) > shown || (await ended()),
        ).toBe(true);
      }
      await page.getByTestId('statement-end').waitFor();
      expect(await page.getByTestId('statement-line').count()).toBe(45);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, '09-history');
      await context.close();
    },
    journeyTimeoutMs,
  );

  it(
    'follows Telegram dark theme and Russian',
    async () => {
      const { page, context } = await open({ theme: 'dark', language: 'ru' });
      await page.getByTestId('wallet-balance').waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
        'rgb(24, 24, 24)',
      );
      expect(await page.getByTestId('wallet').textContent()).toContain('Баланс USDT');
      await eventually(() => mainButton(page).textContent()).toBe('Пополнить USDT');
      await shot(page, '10-home-dark-ru');
      await mainButton(page).click();
      await page.getByTestId('network-only').waitFor();
      expect(await page.getByTestId('network-only').textContent()).toContain(
        'Отправляйте только USDT в сети TRON',
      );
      await shot(page, '11-deposit-dark-ru');
      await context.close();
    },
    journeyTimeoutMs,
  );

  it('shows the session error for a forged or an expired initData, not a status code', async () => {
    for (const [name, options] of [
      ['forged', { token: '7000000003:another-bot' }],
      ['expired', { authDate: new Date(Date.now() - 2 * 3_600_000) }],
    ] as const) {
      const { page, context } = await open(options);
      await page.getByTestId('problem-session').waitFor();
      const text = await page.getByTestId('problem-session').textContent();
      expect(text).toContain('Your session has expired');
      expect(text).not.toMatch(/401/);
      await eventually(() => mainButton(page).isHidden()).toBe(true);
      expect(await hapticsSent(page)).toContain('error');
      await shot(page, `12-session-error-${name}`);
      await context.close();
    }
  });

  it('says a failed load took nothing, and a lost connection in words with a retry', async () => {
    const { page, context } = await open();
    await page.getByTestId('wallet-balance').waitFor();
    fixture.failNextLoad = true;
    await page.getByTestId('card-line').click();
    await mainButton(page).click();
    await page.getByTestId('load-amount').fill('1');
    await mainButton(page).click();
    await page.getByTestId('quote').waitFor();
    await mainButton(page).click();
    await page.getByTestId('load-failed').waitFor();
    expect(await page.getByTestId('load-failed').textContent()).toContain(
      'Nothing was taken from your balance',
    );
    expect(await hapticsSent(page)).toContain('error');
    await shot(page, '13-load-failed');
    await mainButton(page).click();
    await page.getByTestId('wallet-balance').waitFor();

    await page.route('**/v1/balances', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'History' }).click();
    await backButton(page).click();
    await page.getByTestId('problem-network').waitFor();
    expect(await page.getByTestId('problem-network').textContent()).toContain('No connection');
    await shot(page, '14-network-problem');
    await page.unroute('**/v1/balances');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('wallet-balance').waitFor();
    await context.close();
  });

  it('asks to be opened from Telegram when there are no launch parameters', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/app/`);
    await page.getByTestId('problem-outsideTelegram').waitFor({ timeout: stepTimeoutMs });
    expect(await page.getByTestId('problem-outsideTelegram').textContent()).toContain(
      'Open Cardgate from Telegram',
    );
    await context.close();
  });
});
