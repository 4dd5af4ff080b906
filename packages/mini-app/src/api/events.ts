// Live updates from GET /v1/events (server-sent events). The browser's EventSource cannot send an Authorization
// header, so the stream is read with fetch by @microsoft/fetch-event-source, which also resends the last event id as
// Last-Event-ID when it reconnects (the API replays what was missed) and ignores the heartbeat comments. A 401 stops
// the stream and is reported as a session problem; anything else reconnects after a bounded wait.
import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import { authorizationHeader } from './client.ts';
import { problemFromResponse, type ApiProblem } from './problem.ts';

export type LiveEventType =
  'deposit.seen' | 'deposit.confirmations' | 'deposit.credited' | 'card.loaded' | 'card.transaction';

export interface LiveEvent {
  readonly id: string;
  /** A LiveEventType, or a type this version of the app does not know yet (it re-reads all the same). */
  readonly type: string;
  readonly data: unknown;
}

export interface LiveEventsOptions {
  readonly baseUrl: string;
  readonly initDataRaw: string;
  readonly onEvent: (event: LiveEvent) => void;
  readonly onStateChange: (state: 'connected' | 'reconnecting' | 'stopped') => void;
  readonly onSessionProblem: (problem: ApiProblem) => void;
  readonly fetch?: typeof fetch;
}

/** Wait before a reconnect, doubling from the first to the last; the API's heartbeat keeps a healthy stream open. */
const reconnectWaitMsFirst = 1_000;
const reconnectWaitMsMax = 15_000;

class FatalStreamError extends Error {}

/** Opens the stream; the returned function closes it and frees the connection. */
export function subscribeLiveEvents(options: LiveEventsOptions): () => void {
  const controller = new AbortController();
  let reconnectWaitMs = reconnectWaitMsFirst;
  void fetchEventSource(new URL('/v1/events', options.baseUrl).toString(), {
    signal: controller.signal,
    headers: { Authorization: authorizationHeader(options.initDataRaw) },
    // Keep the stream while the app is hidden: Telegram hides the webview when the user switches chats, and the
    // balance should be current when they come back without a burst of reconnects.
    openWhenHidden: true,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    async onopen(response) {
      if (response.ok) {
        reconnectWaitMs = reconnectWaitMsFirst;
        options.onStateChange('connected');
        return;
      }
      const body: unknown = await response.json().catch(() => undefined);
      const problem = problemFromResponse(response.status, body);
      if (problem.kind === 'session') {
        options.onSessionProblem(problem);
        throw new FatalStreamError(problem.message);
      }
      throw problem;
    },
    onmessage(message: EventSourceMessage) {
      if (message.event === '' && message.data === '') return;
      let data: unknown = message.data;
      try {
        data = JSON.parse(message.data);
      } catch {
        // A non-JSON payload is passed on as text.
      }
      options.onEvent({ id: message.id, type: message.event || 'message', data });
    },
    onclose() {
      // The server ended the stream (a deploy, an idle limit): reconnect through onerror, resuming by Last-Event-ID.
      throw new Error('the event stream closed');
    },
    onerror(error: unknown) {
      if (error instanceof FatalStreamError) {
        options.onStateChange('stopped');
        throw error;
      }
      options.onStateChange('reconnecting');
      const waitMs = reconnectWaitMs;
      reconnectWaitMs = Math.min(reconnectWaitMs * 2, reconnectWaitMsMax);
      return waitMs;
    },
  }).catch(() => undefined);
  return () => controller.abort();
}
