// Routes of /v1 (quotes): to be written (issue 10). Mounted by app.ts.
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';

export function createQuotesRoutes(_context: V1Context) {
  return createRouter();
}
