// A JSON-over-HTTP client with a timeout per attempt and bounded, jittered retries, that sorts every failure into
// retryable, not retryable and ambiguous (provider-error.ts). Only requests that are safe to repeat are retried: reads,
// and writes that carry an idempotency key (the provider answers a repeat with the original outcome).
import { setTimeout as sleep } from 'node:timers/promises';
import { CardProviderError } from './provider-error.ts';

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  readonly attemptsMax?: number;
  readonly backoffMsMax?: number;
  readonly fetch?: typeof fetch;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  /** A write without a key that is nevertheless safe to repeat (setting a state). */
  readonly repeatable?: boolean;
}

const responseBytesMax = 1024 * 1024;

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string')
    return body.error;
  return undefined;
}

export function createHttpClient(options: HttpClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const attemptsMax = options.attemptsMax ?? 3;
  const backoffMsMax = options.backoffMsMax ?? 1_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function attempt(request: HttpRequest): Promise<unknown> {
    const isRead = request.method === 'GET';
    const headers: Record<string, string> = { authorization: options.apiKey, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const refused = hasCode(error, 'ECONNREFUSED');
      // A refused connection never reached the provider; anything else may have.
      const kind = isRead || refused ? 'retryable' : 'ambiguous';
      throw new CardProviderError(
        kind,
        timedOut ? 'timeout' : 'network',
        `${request.method} ${request.path}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'connection failed'}`,
        { cause: error },
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new CardProviderError(isRead ? 'retryable' : 'ambiguous', 'network', 'response body lost', {
        status: response.status,
        cause: error,
      });
    }
    if (text.length > responseBytesMax)
      throw new CardProviderError('not_retryable', 'response_too_large', 'provider response is too large');
    let body: unknown = undefined;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return body;
    const code = errorCodeOf(body) ?? `http_${response.status}`;
    const message = `${request.method} ${request.path}: ${response.status} ${code}`;
    if (response.status === 429 || response.status === 408)
      throw new CardProviderError('retryable', code, message, { status: response.status });
    if (response.status >= 500)
      throw new CardProviderError(isRead ? 'retryable' : 'ambiguous', code, message, {
        status: response.status,
      });
    throw new CardProviderError('not_retryable', code, message, {
      status: response.status,
      code:
        response.status === 404
          ? 'not_found'
          : response.status === 409
            ? 'conflict'
            : response.status === 400
              ? 'invalid_input'
              : 'rule_violation',
    });
  }

  return {
    /** Sends the request, repeating it (bounded) when that is safe and the failure is not definite. */
    async send(request: HttpRequest): Promise<unknown> {
      const safeToRepeat =
        request.method === 'GET' || request.idempotencyKey !== undefined || request.repeatable;
      let sawAmbiguous = false;
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        try {
          return await attempt(request);
        } catch (error) {
          if (!(error instanceof CardProviderError) || error.kind === 'not_retryable') throw error;
          if (error.kind === 'ambiguous') sawAmbiguous = true;
          if (!safeToRepeat || attemptNumber >= attemptsMax) {
            // Once any attempt may have taken effect, the outcome stays unknown even if a later one was refused.
            if (sawAmbiguous && error.kind !== 'ambiguous')
              throw new CardProviderError('ambiguous', error.reason, error.message, {
                status: error.status,
                cause: error,
              });
            throw error;
          }
          const backoffMs = Math.min(backoffMsMax, 50 * 2 ** attemptNumber) * (0.5 + Math.random() / 2);
          await sleep(backoffMs);
        }
      }
    },
  };
}

function hasCode(error: unknown, code: string): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current === 'object' && 'code' in current && current.code === code) return true;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return false;
}

export type HttpClient = ReturnType<typeof createHttpClient>;
