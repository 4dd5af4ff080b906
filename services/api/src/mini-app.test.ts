// Proves the API serves the built Mini App at /app/ (npm test builds it first): the page and its hashed assets, the
// page framable by Telegram's web client only (Content-Security-Policy frame-ancestors, no X-Frame-Options), its
// scripts from its own origin only, and /app redirected to /app/.
import { describe, expect, it } from 'vitest';
import { isMiniAppBuilt, miniAppDistDirectory } from '@cardgate/mini-app';
import { testLogger } from '@cardgate/test-harness';
import { createApp } from './app.ts';

describe('the Mini App page', () => {
  it('is served at /app/ and may be framed by Telegram only', async () => {
    expect(isMiniAppBuilt(), 'npm test builds the Mini App before the tests').toBe(true);
    const app = createApp({
      logger: testLogger('api'),
      healthChecks: {},
      miniApp: { distDirectory: miniAppDistDirectory },
    });
    const page = await app.request('/app/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain('frame-ancestors');
    expect(policy).toContain('https://web.telegram.org');
    expect(policy).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBeNull();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await app.request(script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const bare = await app.request('/app');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/app/');
  });
});
