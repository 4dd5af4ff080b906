import type { RouteHandler } from '@hono/zod-openapi';
import type { LedgerReads } from '@cardgate/ledger';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { languageOf } from '../../lib/user-language.ts';
import { statementLineOf } from './statement-line.ts';
import { encodeStatementCursor } from './transactions.cursor.ts';
import { statementTexts } from './transactions.texts.ts';
import type { listTransactions } from './transactions.routes.ts';

export function transactionsHandlers(ledger: Pick<LedgerReads, 'ownerStatement'>) {
  const listTransactionsHandler: RouteHandler<typeof listTransactions, AppEnv> = async (c) => {
    const query = c.req.valid('query');
    const user = c.get('user');
    const texts = statementTexts[languageOf(user)];
    // The statement of the accounts this user owns: another user's lines cannot appear.
    const page = await ledger.ownerStatement(user.id, {
      limit: query.limit,
      ...(query.cursor ? { beforeSeq: query.cursor } : {}),
    });
    const items = page.lines.map((line) => {
      const view = statementLineOf(line, user.id);
      return {
        id: view.id,
        kind: view.kind,
        status: view.status,
        amount: money(view.amount),
        account: view.account,
        reference: view.reference,
        time: view.time.toISOString(),
        postedAt: view.postedAt?.toISOString() ?? null,
        description: texts[view.textKey],
      };
    });
    return c.json(
      { items, nextCursor: page.nextCursor === undefined ? null : encodeStatementCursor(page.nextCursor) },
      200,
    );
  };
  return { listTransactions: listTransactionsHandler };
}
