// `npm run bench:mini-app`: the Mini App's first screen in the local headless chromium — the time from navigation to
// the USDT balance on screen, each visit in a fresh browser context (no cache, as a first open from Telegram) — beside
// the floor measured in the same run: the same browser showing a static page with one balance line from a local
// server (what any page costs here), and the ratio. Also the initial JavaScript, gzipped, against its 80 KB budget.
// Until the API of issue 10 lands, the /v1 routes come from the Mini App's fixture server (packages/mini-app
// testing.ts); the app and its data are local, so the figure is the app's own cost, not a network's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { measureBundle, initialJsGzipBytesMax } from '../../packages/mini-app/scripts/bundle-budget.ts';
import { ensureBuilt, ensureChromium, launchChromium } from '../../packages/mini-app/src/browser.testing.ts';
import { FixtureApi } from '../../packages/mini-app/src/testing.ts';
import { developmentUserId, miniAppUrl } from '../dev/mini-app-url.ts';
import { formatRow, percentileMs } from './stats.ts';

const visits = Number(process.env.BENCH_VISITS ?? '20');
const botToken = '7000000004:bench-bot-token';
const waitMsMax = 15_000;

/**
 * Time from the start of navigation (the page's own clock, performance.now() from its time origin) to the first moment
 * the element shows a USDT amount, seen by a MutationObserver installed before any page script: no polling from
 * outside the browser in the figure.
 */
async function firstScreenMs(browser: Browser, url: string, selector: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // Page code as text: this script is type-checked without the DOM library.
  await context.addInitScript(`{
    const record = () => {
      if (!document.querySelector(${JSON.stringify(selector)})?.textContent?.includes('USDT')) return false;
      window.firstScreenMs = performance.now();
      return true;
    };
    const observer = new MutationObserver(() => { if (record()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }`);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction('window.firstScreenMs', undefined, {
    timeout: waitMsMax,
  });
  const elapsed = (await handle.jsonValue()) as number;
  await context.close();
  return elapsed;
}

async function staticFloorServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><meta charset="utf-8"><p id="balance">0.00 USDT</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

ensureChromium();
ensureBuilt();
const bundle = measureBundle();
const fixture = new FixtureApi({ botToken });
const origin = await fixture.listen();
fixture.seeDeposit('25.5', 3);
const floor = await staticFloorServer();
const browser = await launchChromium();
try {
  const appUrl = miniAppUrl({
    appUrl: `${origin}/app/`,
    user: { id: developmentUserId('bench'), firstName: 'bench', languageCode: 'en' },
    botToken,
  });
  // One visit of each first, not counted: chromium's own first-use costs (profile, GPU process) are not the app's.
  await firstScreenMs(browser, floor.url, '#balance');
  await firstScreenMs(browser, appUrl, '[data-testid="wallet-balance"]');
  const appMs: number[] = [];
  const floorMs: number[] = [];
  // Interleaved, so a slow moment of the shared machine falls on both.
  for (let visit = 0; visit < visits; visit += 1) {
    floorMs.push(await firstScreenMs(browser, floor.url, '#balance'));
    appMs.push(await firstScreenMs(browser, appUrl, '[data-testid="wallet-balance"]'));
  }
  const widths = [34, 10, 10, 10];
  console.log(`chromium headless, ${visits} visits each, fresh context per visit, node=${process.version}`);
  console.log(formatRow(['', 'p50 ms', 'p95 ms', 'max ms'], widths));
  const row = (name: string, samples: number[]) =>
    console.log(
      formatRow(
        [
          name,
          percentileMs(samples, 0.5).toFixed(0),
          percentileMs(samples, 0.95).toFixed(0),
          Math.max(...samples).toFixed(0),
        ],
        widths,
      ),
    );
  row('floor: static page, one line', floorMs);
  row('Mini App: navigation → balance', appMs);
  console.log(
    `ratio Mini App / floor (p50): ${(percentileMs(appMs, 0.5) / percentileMs(floorMs, 0.5)).toFixed(2)}; ` +
      `Mini App cost above the floor (p50): ${(percentileMs(appMs, 0.5) - percentileMs(floorMs, 0.5)).toFixed(0)} ms`,
  );
  console.log(
    `initial JS ${(bundle.initialJsGzipBytes / 1024).toFixed(1)} KB gzipped of a ${(initialJsGzipBytesMax / 1024).toFixed(0)} KB budget ` +
      `(${((bundle.initialJsGzipBytes / initialJsGzipBytesMax) * 100).toFixed(0)}%), CSS ${(bundle.cssGzipBytes / 1024).toFixed(1)} KB gzipped`,
  );
} finally {
  await browser.close();
  await fixture.close();
  await floor.close();
}
