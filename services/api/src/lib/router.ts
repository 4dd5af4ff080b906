// Every router of the API is an OpenAPIHono with the same validation hook: a request that fails its zod schema is a
// 422 problem+json naming the first offending field (path and message), before any handler runs, so nothing is
// written for it. (Hono's starter answers 422 the same way.)
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import { AppError } from '@cardgate/errors';
import type { AppEnv } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hook's data type is per route
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = [result.target, ...(issue?.path ?? [])].map(String).join('.');
  throw new AppError('rule_violation', `${field}: ${issue?.message ?? 'is invalid'}`, {
    reason: 'validation_failed',
    details: { field, issue: issue?.code ?? 'invalid' },
  });
};

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
