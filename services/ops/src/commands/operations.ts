// The operator actions from the command line: the same functions as the API's /v1/ops routes (packages/operations),
// the same audit rows (actor `cli:<os user>`). Anything that moves money or a money flow asks first (`--yes` skips
// the question); `--json` prints the answer as JSON (amounts as decimal strings) instead of text.
import { parseArgs } from 'node:util';
import { formatMoney, type Money } from '@cardgate/money';
import type { OperatorCall } from '@cardgate/operations';
import type { Command, CommandContext } from '../commands.ts';

const sharedOptions = {
  yes: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], options: sharedOptions, allowPositionals: true });
}

/** node:util's parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code for an unknown or malformed flag. */
function isFlagError(error: unknown): boolean {
  return (
    error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  );
}

/** The parsed flags, or undefined (after printing the usage) when a flag is unknown or malformed. */
function parsedOr<T>(context: CommandContext, usageText: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!isFlagError(error)) throw error;
    context.write(`${(error as Error).message}\nusage: ${usageText}\n`);
    return undefined;
  }
}

const callOf = (context: CommandContext): OperatorCall => ({ actor: context.actor });
const amount = (value: Money): string => `${formatMoney(value)} ${value.asset.code}`;

/** JSON with amounts as `{ amount, asset }` decimal strings, bigints as strings and dates as ISO text. */
function toJson(value: unknown): string {
  return `${JSON.stringify(
    value,
    function replacer(this: unknown, _key, item: unknown) {
      if (typeof item === 'bigint') return item.toString();
      if (item && typeof item === 'object' && 'minor' in item && 'asset' in item) {
        const money = item as Money;
        return { amount: formatMoney(money), asset: money.asset.code };
      }
      return item;
    },
    2,
  )}\n`;
}

/** Asks before a money-moving action; false (and a line saying nothing changed) when the operator declines. */
async function confirmed(context: CommandContext, yes: boolean, question: string): Promise<boolean> {
  if (yes || (await context.confirm(question))) return true;
  context.write('cancelled: nothing was changed\n');
  return false;
}

function usage(context: CommandContext, text: string): number {
  context.write(`usage: ${text}\n`);
  return 64;
}

/** A command that takes exactly `count` positional arguments. */
function positionalCommand(
  usageText: string,
  summary: string,
  count: number,
  run: (
    positionals: string[],
    flags: { yes: boolean; json: boolean },
    context: CommandContext,
  ) => Promise<number>,
): Command {
  return {
    usage: usageText,
    summary,
    async run(args, context) {
      const parsed = parsedOr(context, usageText, () => parse(args));
      if (!parsed) return 64;
      const { values, positionals } = parsed;
      if (positionals.length !== count) return usage(context, usageText);
      return run(positionals, { yes: values.yes === true, json: values.json === true }, context);
    },
  };
}

function flowAction(
  usageText: string,
  summary: string,
  question: (id: string) => string,
  act: (
    context: CommandContext,
    id: string,
  ) => Promise<{ workflowId: string; signal: string; status: string }>,
): Command {
  return positionalCommand(usageText, summary, 1, async ([id = ''], flags, context) => {
    if (!(await confirmed(context, flags.yes, question(id)))) return 65;
    const result = await act(context, id);
    context.write(
      flags.json
        ? toJson(result)
        : `${result.signal} sent to ${result.workflowId}; it is now ${result.status}\n`,
    );
    return 0;
  });
}

export const operationCommands: Record<string, Command> = {
  user: positionalCommand(
    'user <usr_id | @username | telegram id> [--json]',
    'look a user up: balances, deposits, cards',
    1,
    async ([query = ''], flags, context) => {
      const found = await context.operations().lookUpUser(callOf(context), query);
      if (flags.json) {
        context.write(toJson(found));
        return 0;
      }
      for (const { user, balances, deposits, cards } of found) {
        context.write(
          `${user.id}  telegram ${user.telegramUserId}  ${user.username ? `@${user.username}  ` : ''}${user.firstName}${user.lastName ? ` ${user.lastName}` : ''}  since ${user.createdAt.toISOString()}\n`,
        );
        for (const balance of balances)
          context.write(
            `  ${balance.account.padEnd(48)} posted ${amount(balance.posted)}  available ${amount(balance.available)}  pending ${amount(balance.pending)}\n`,
          );
        for (const deposit of deposits)
          context.write(
            `  deposit ${deposit.txId}:${deposit.logIndex}  ${amount(deposit.amount)}  ${deposit.state}  ${deposit.at.toISOString()}\n`,
          );
        for (const card of cards)
          context.write(
            `  card ${card.cardId}  ${card.state}${card.providerToken ? `  ${card.providerToken}` : ''}\n`,
          );
      }
      return 0;
    },
  ),

  'deposits:held': {
    usage: 'deposits:held [--limit N] [--after CURSOR] [--json]',
    summary: 'list deposits held for review',
    async run(args, context) {
      const parsed = parsedOr(context, this.usage, () =>
        parseArgs({
          args: [...args],
          options: { ...sharedOptions, limit: { type: 'string' }, after: { type: 'string' } },
        }),
      );
      if (!parsed) return 64;
      const { values } = parsed;
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        return usage(context, 'deposits:held [--limit 1..200] [--after CURSOR] [--json]');
      const page = await context
        .operations()
        .listHeldDeposits(callOf(context), { limit, after: values.after });
      if (values.json) {
        context.write(toJson(page));
        return 0;
      }
      for (const item of page.items)
        context.write(
          `${item.txId}:${item.logIndex}  ${amount(item.amount)}  user ${item.userId}  held ${item.heldAt.toISOString()}\n`,
        );
      context.write(
        `${page.items.length} held${page.nextCursor ? `; more with --after ${page.nextCursor}` : ''}\n`,
      );
      return 0;
    },
  },

  'deposit:approve': positionalCommand(
    'deposit:approve <tx>:<log> [--yes] [--json]',
    "approve a held deposit: the user's wallet is credited (minus the fee)",
    1,
    async ([deposit = ''], flags, context) => {
      if (!(await confirmed(context, flags.yes, `Approve deposit ${deposit} and credit the user's wallet?`)))
        return 65;
      const result = await context.operations().approveDeposit(callOf(context), deposit);
      context.write(
        flags.json ? toJson(result) : `approved ${result.deposit}; the deposit is now ${result.state}\n`,
      );
      return 0;
    },
  ),

  'deposit:reject': positionalCommand(
    'deposit:reject <tx>:<log> [--yes] [--json]',
    'reject a held deposit: its pending credit is voided',
    1,
    async ([deposit = ''], flags, context) => {
      if (
        !(await confirmed(context, flags.yes, `Reject deposit ${deposit}? It will never reach the wallet.`))
      )
        return 65;
      const result = await context.operations().rejectDeposit(callOf(context), deposit);
      context.write(
        flags.json ? toJson(result) : `rejected ${result.deposit}; the deposit is now ${result.state}\n`,
      );
      return 0;
    },
  ),

  'flows:waiting': positionalCommand(
    'flows:waiting [--json]',
    'list card loads and card issues waiting for an operator',
    0,
    async (_positionals, flags, context) => {
      const result = await context.operations().listWaitingFlows(callOf(context));
      if (flags.json) {
        context.write(toJson(result));
        return 0;
      }
      for (const flow of result.flows)
        context.write(
          `${flow.workflowId}  ${flow.status}  next: ${flow.action}  since ${flow.startedAt.toISOString()}${flow.lastError ? `  last error: ${flow.lastError}` : ''}\n`,
        );
      context.write(
        `${result.flows.length} waiting of ${result.scanned} open${result.truncated ? ' (stopped at the scan bound: more may wait)' : ''}${result.unanswered.length > 0 ? `; not answering: ${result.unanswered.join(', ')}` : ''}\n`,
      );
      return 0;
    },
  ),

  'load:resolve': {
    usage: 'load:resolve <loadId> loaded <loadToken> | not_loaded [--yes] [--json]',
    summary: 'tell a card load in needs_operator what the provider did',
    async run(args, context) {
      const parsed = parsedOr(context, this.usage, () => parse(args));
      if (!parsed) return 64;
      const { values, positionals } = parsed;
      const [loadId, outcome, token] = positionals;
      const valid =
        loadId !== undefined &&
        ((outcome === 'loaded' && token !== undefined && positionals.length === 3) ||
          (outcome === 'not_loaded' && positionals.length === 2));
      if (!valid) return usage(context, this.usage);
      const resolution =
        outcome === 'loaded'
          ? { outcome: 'loaded' as const, providerLoadToken: token ?? '' }
          : { outcome: 'not_loaded' as const };
      const question =
        outcome === 'loaded'
          ? `Card load ${loadId} was loaded at the provider as ${token}: post it to the card?`
          : `Card load ${loadId} was NOT loaded at the provider: release the user's USDT?`;
      if (!(await confirmed(context, values.yes === true, question))) return 65;
      const result = await context.operations().resolveCardLoad(callOf(context), loadId, resolution);
      context.write(
        values.json
          ? toJson(result)
          : `${result.signal} sent to ${result.workflowId}; it is now ${result.status}\n`,
      );
      return 0;
    },
  },

  'card-issue:retry': flowAction(
    'card-issue:retry <cardId> [--yes] [--json]',
    'let a card issue in needs_operator try the provider again',
    (cardId) => `Let card issue ${cardId} try the provider again (its fee stays pending until it ends)?`,
    (context, cardId) => context.operations().retryCardIssue(callOf(context), cardId),
  ),

  'compensation:retry': flowAction(
    'compensation:retry <workflowId> [--yes] [--json]',
    'let a flow in compensation_failed try its compensation again',
    (workflowId) => `Let ${workflowId} try its compensation (releasing the pending money) again?`,
    (context, workflowId) => context.operations().retryCompensation(callOf(context), workflowId),
  ),

  'ledger:verify': positionalCommand(
    'ledger:verify [--json]',
    "check the ledger's invariants (exit 1 when a problem is found)",
    0,
    async (_positionals, flags, context) => {
      const report = await context.operations().verifyLedger(callOf(context));
      if (flags.json) context.write(toJson(report));
      else {
        for (const problem of report.problems) context.write(`problem: ${problem}\n`);
        context.write(
          `${report.ok ? 'ok' : 'NOT OK'}: ${report.accountsChecked} accounts, ${report.transfersChecked} transfers checked\n`,
        );
      }
      return report.ok ? 0 : 1;
    },
  ),

  'card:freeze': positionalCommand(
    'card:freeze <cardId> [--json]',
    'freeze (pause) a card at the provider',
    1,
    async ([cardId = ''], flags, context) => {
      const result = await context.operations().freezeCard(callOf(context), cardId);
      context.write(flags.json ? toJson(result) : `card ${result.cardId} is ${result.state}\n`);
      return 0;
    },
  ),
};
