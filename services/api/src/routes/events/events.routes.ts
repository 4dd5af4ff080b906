import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../../lib/schemas.ts';

export const eventsHeadersSchema = z.object({
  'last-event-id': z
    .string()
    .regex(/^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/, 'must be an event id this stream sent')
    .optional()
    .openapi({
      description:
        'The id of the last event received; the stream resumes after it (EventSource sends it itself)',
      example: '1796323299953-0',
    }),
});

export const getEvents = createRoute({
  method: 'get',
  path: '/events',
  tags: ['User'],
  summary: "Server-sent events of the signed-in user's deposits and cards",
  description: [
    'A text/event-stream. Each event is `event: <kind>`, `id: <id>` and `data: <UserEvent JSON>` (kinds:',
    'deposit.seen, deposit.confirmations, deposit.orphaned, deposit.credited, deposit.held, card.issued, card.loaded,',
    'card.load_failed, card.transaction; amounts are decimal strings with their asset). Reconnect with',
    'Last-Event-ID to receive what was missed (the last 1,000 events of the user, at least minutes).',
    'deposit.confirmations carries no id and is not replayed: the next block brings a fresh count.',
    '`event: resync` means events after Last-Event-ID are gone: refetch state.',
    'A comment line (`: heartbeat`) comes every 15 s. The same event may come twice (a retried step):',
    'ignore an event whose `key` was already seen.',
  ].join(' '),
  security: [{ telegramInitData: [] }],
  request: { headers: eventsHeadersSchema },
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...problems(401, 422, 429, 503),
  },
});
