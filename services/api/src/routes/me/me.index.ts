import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { meHandlers } from './me.handlers.ts';
import { getMe } from './me.routes.ts';

export function createMeRoutes(context: V1Context) {
  const handlers = meHandlers(context);
  return createRouter().openapi(getMe, handlers.getMe);
}
