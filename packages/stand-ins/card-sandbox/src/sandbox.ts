// The card sandbox assembled: its state (in memory, or kept in a directory and resumed from it), the webhook sender,
// fault settings and the HTTP app, plus `startCardSandbox` to serve it on a port (0 picks a free one) for tests and
// `npm run dev`. With a state directory, webhooks not yet delivered when the sandbox stopped (or was killed) are sent
// again when it starts: a provider does not lose an event because it restarted (receivers dedupe by webhook-id).
// Faults are not kept: a restarted sandbox starts without faults, and events held by holdWebhooks are sent.
import { serveApp, type RunningServer } from '@cardgate/health';
import { createSandboxApp, type SandboxApp, type SandboxSummary } from './app.ts';
import { applyFaults, noFaults, type FaultsPatch, type SandboxFaults } from './faults.ts';
import { SandboxState } from './state.ts';
import { openFileStore } from './state/file-store.ts';
import { memoryStore } from './state/store.ts';
import { WebhookSender, type ReleaseOrder, type WebhookStats } from './webhook-sender.ts';

/** How long a release waits for the released deliveries before answering anyway. */
const releaseWaitMs = 15_000;

export interface CardSandboxOptions {
  readonly apiKey: string;
  /** Where webhooks go; without one, events are recorded on their transactions but not delivered. */
  readonly webhookUrl?: string;
  /** `whsec_<base64>`, as Standard Webhooks spells it. */
  readonly webhookSecret: string;
  readonly now?: () => Date;
  /** Used to deliver webhooks. */
  readonly fetch?: typeof fetch;
  /** Webhook retry pacing (defaults: 50 ms doubling to 2 s, 6 attempts, 5 s per attempt). */
  readonly webhookBackoffMsMin?: number;
  readonly webhookBackoffMsMax?: number;
  readonly webhookAttemptsMax?: number;
  readonly webhookTimeoutMs?: number;
  /** Keep the state in this directory and resume it from there; without one, state lives in memory only. */
  readonly stateDirectory?: string;
}

export interface CardSandbox {
  readonly app: SandboxApp;
  readonly state: SandboxState;
  readonly faults: {
    /** Merges `patch` into the current faults and answers the result. */
    set(patch: FaultsPatch): SandboxFaults;
    /** Clears every fault and releases held webhooks in order; answers how many events were released. */
    clear(): Promise<number>;
    readonly current: Readonly<SandboxFaults>;
  };
  readonly webhooks: {
    idle(timeoutMs?: number): Promise<void>;
    /** Sends the held events and waits (bounded) until they are delivered; answers how many were released. */
    release(order?: ReleaseOrder): Promise<number>;
    setUrl(url: string | undefined): void;
    readonly stats: WebhookStats;
  };
  /** The same figures as GET /admin/state. */
  readonly summary: SandboxSummary;
  stop(): Promise<void>;
}

export function createCardSandbox(options: CardSandboxOptions): CardSandbox {
  if (!options.apiKey) throw new Error('card sandbox: apiKey must not be empty');
  const now = options.now ?? (() => new Date());
  const store = options.stateDirectory === undefined ? memoryStore() : openFileStore(options.stateDirectory);
  const saved = store.read();
  const state = new SandboxState(now, store, saved);
  const faults = noFaults();
  const sender = new WebhookSender({
    secret: options.webhookSecret,
    url: options.webhookUrl,
    faults,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.webhookBackoffMsMin === undefined ? {} : { backoffMsMin: options.webhookBackoffMsMin }),
    ...(options.webhookBackoffMsMax === undefined ? {} : { backoffMsMax: options.webhookBackoffMsMax }),
    ...(options.webhookAttemptsMax === undefined ? {} : { attemptsMax: options.webhookAttemptsMax }),
    ...(options.webhookTimeoutMs === undefined ? {} : { timeoutMs: options.webhookTimeoutMs }),
    onSettled: (eventId) => store.settleWebhook(eventId),
  });
  for (const event of saved.outbox) sender.send(event);

  const setFaults = (patch: FaultsPatch): SandboxFaults => {
    applyFaults(faults, patch);
    return { ...faults };
  };
  // Releasing answers once the released deliveries are done (or after a bound), so a test that releases and then
  // looks at its receiver sees them.
  const release = async (order: ReleaseOrder = 'fifo'): Promise<number> => {
    const released = sender.release(order);
    await sender.idle(releaseWaitMs).catch(() => undefined);
    return released;
  };
  const clearFaults = (): Promise<number> => {
    Object.assign(faults, noFaults());
    return release('fifo');
  };
  const summary = (): SandboxSummary => ({ ...state.counts, webhooks: sender.stats, faults: { ...faults } });

  const app = createSandboxApp({
    apiKey: options.apiKey,
    state,
    faults,
    webhooks: sender,
    setFaults,
    clearFaults,
    releaseWebhooks: release,
    summary,
  });

  return {
    app,
    state,
    faults: {
      set: setFaults,
      clear: clearFaults,
      get current() {
        return { ...faults };
      },
    },
    webhooks: {
      idle: (timeoutMs) => sender.idle(timeoutMs),
      release,
      setUrl: (url) => sender.setUrl(url),
      get stats() {
        return sender.stats;
      },
    },
    get summary() {
      return summary();
    },
    stop: async () => {
      await sender.stop();
      store.close();
    },
  };
}

export interface StartCardSandboxOptions extends CardSandboxOptions {
  readonly port: number;
  readonly host?: string;
}

export interface RunningCardSandbox extends RunningServer {
  readonly sandbox: CardSandbox;
}

export async function startCardSandbox(options: StartCardSandboxOptions): Promise<RunningCardSandbox> {
  const sandbox = createCardSandbox(options);
  const server = await serveApp(sandbox.app, options.port, options.host);
  return {
    url: server.url,
    sandbox,
    close: async () => {
      await sandbox.stop();
      await server.close();
    },
  };
}
