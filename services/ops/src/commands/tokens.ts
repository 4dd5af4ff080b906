// Operator tokens from the command line: create (the secret is printed once), revoke, list. Each is audited.
import { parseArgs } from 'node:util';
import { AppError } from '@cardgate/errors';
import {
  createOperatorAudit,
  createOperatorTokens,
  operatorScopes,
  type OperatorScope,
} from '@cardgate/operators';
import type { Command } from '../commands.ts';

const dayMs = 24 * 3600 * 1000;

function scopesOf(text: string): OperatorScope[] {
  const scopes = text.split(',').map((scope) => scope.trim());
  for (const scope of scopes)
    if (!(operatorScopes as readonly string[]).includes(scope))
      throw new AppError('invalid_input', `unknown scope ${scope}; scopes are ${operatorScopes.join(', ')}`);
  return scopes as OperatorScope[];
}

export const tokenCommands: Record<string, Command> = {
  'token:create': {
    usage: 'token:create --name NAME --scopes read[,operate,admin] [--days N]',
    summary: 'create an operator token (printed once)',
    async run(args, context) {
      const { values } = parseArgs({
        args: [...args],
        options: {
          name: { type: 'string' },
          scopes: { type: 'string' },
          days: { type: 'string', default: '30' },
        },
      });
      if (!values.name || !values.scopes) {
        context.write('usage: token:create --name NAME --scopes read[,operate,admin] [--days N]\n');
        return 64;
      }
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 1 || days > 366)
        throw new AppError('invalid_input', '--days must be a whole number of days, 1 to 366');
      const { token, info } = await createOperatorTokens(context.pool).create({
        name: values.name,
        scopes: scopesOf(values.scopes),
        lifetimeMs: days * dayMs,
      });
      await createOperatorAudit(context.pool).record({
        actor: context.actor,
        action: 'token.create',
        target: `token:${info.tokenId}`,
        result: 'ok',
        detail: { name: info.name, scopes: info.scopes.join(','), expiresAt: info.expiresAt.toISOString() },
      });
      context.write(
        `token ${info.tokenId} for ${info.name} (${info.scopes.join(',')}), expires ${info.expiresAt.toISOString()}\n${token}\n`,
      );
      return 0;
    },
  },
  'token:revoke': {
    usage: 'token:revoke TOKEN_ID',
    summary: 'revoke an operator token at once',
    async run(args, context) {
      const tokenId = args[0];
      if (!tokenId) {
        context.write('usage: token:revoke TOKEN_ID\n');
        return 64;
      }
      const revoked = await createOperatorTokens(context.pool).revoke(tokenId);
      await createOperatorAudit(context.pool).record({
        actor: context.actor,
        action: 'token.revoke',
        target: `token:${tokenId}`,
        result: revoked ? 'ok' : 'refused',
      });
      context.write(revoked ? `revoked ${tokenId}\n` : `${tokenId} is not an active token\n`);
      return revoked ? 0 : 65;
    },
  },
  'token:list': {
    usage: 'token:list',
    summary: 'list operator tokens (never their secrets)',
    async run(_args, context) {
      for (const token of await createOperatorTokens(context.pool).list())
        context.write(
          `${token.tokenId}  ${token.name.padEnd(20)} ${token.scopes.join(',').padEnd(20)} expires ${token.expiresAt.toISOString()}${token.revokedAt ? `  revoked ${token.revokedAt.toISOString()}` : ''}\n`,
        );
      return 0;
    },
  },
};
