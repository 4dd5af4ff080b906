// Opaque paging cursors: what a page ended at, as base64url text the client passes back unchanged. A cursor that
// does not decode to a position of the route's own kind is a 422 naming query.cursor, before any handler runs.
import { z } from '@hono/zod-openapi';
import { pageQuerySchema } from './schemas.ts';

/** Bound on a cursor's length: every position fits in far less. */
const cursorLengthMax = 200;

export function encodeCursor(plain: string): string {
  return Buffer.from(plain, 'utf8').toString('base64url');
}

/**
 * The paging query of a route whose positions `decode` reads back from the plain text `encodeCursor` was given;
 * `decode` answers undefined for text that is not one of its positions.
 */
export function pageQueryOf<T>(decode: (plain: string) => T | undefined) {
  return z.object({
    cursor: z
      .string()
      .max(cursorLengthMax)
      .optional()
      .transform((value, context): T | undefined => {
        if (value === undefined) return undefined;
        const position = /^[A-Za-z0-9_-]+$/.test(value)
          ? decode(Buffer.from(value, 'base64url').toString('utf8'))
          : undefined;
        if (position === undefined) {
          context.addIssue({ code: 'custom', message: 'is not a cursor this list gave out' });
          return z.NEVER;
        }
        return position;
      })
      .openapi({ type: 'string', description: 'The nextCursor of the previous page (opaque)' }),
    limit: pageQuerySchema.shape.limit,
  });
}
