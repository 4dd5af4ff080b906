// The HTTP floor of bench:api: a bare Hono route on @hono/node-server, the same framework and server as the API, with
// nothing behind it. Listens on BENCH_BARE_PORT.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const port = Number(process.env.BENCH_BARE_PORT);
const app = new Hono();
app.get('/health', (context) => context.json({ status: 'ok' }));
app.get('/bare', (context) => context.json({ ok: true }));
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
