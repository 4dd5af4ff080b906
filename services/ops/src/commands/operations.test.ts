// Proves the operator commands against the real PostgreSQL and Temporal (no worker: the flows that need one are
// proved in test/ops-actions.test.ts): `user` prints the user's balances, deposits and cards as decimal amounts and
// audits the look-up under the CLI actor; `deposits:held` lists the ledger's held deposits; a money-moving command the
// operator declines changes nothing and writes no audit row, and one that runs is audited with its refusal (no such
// flow); `ledger:verify` exits 0 on a sound ledger; `card:freeze` refuses an unknown card; bad arguments are usage
// errors (64) that touch nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { parseMoney, USDT } from '@cardgate/money';
import { createOperations } from '@cardgate/operations';
import { createOperatorAudit } from '@cardgate/operators';
import { harnessContext, testLogger, testTaskQueue, useTestDatabase } from '@cardgate/test-harness';
import { createUserStore } from '@cardgate/users';
import type { CommandContext } from '../commands.ts';
import { commands } from '../commands.ts';

const database = useTestDatabase();
let connection: Connection | undefined;
let client: Client;

beforeAll(async () => {
  const harness = harnessContext();
  connection = await Connection.connect({ address: harness.temporalAddress });
  client = new Client({ connection, namespace: harness.temporalNamespace });
});
afterAll(async () => {
  await connection?.close();
});

function contextWith(output: string[], answer: boolean): CommandContext {
  const operations = createOperations({
    pool: database.pool,
    temporal: { client, taskQueue: testTaskQueue('ops-cli') },
    queryTimeoutMs: 2_000,
    settleWaitMs: 1_000,
  });
  return {
    pool: database.pool,
    logger: testLogger('ops'),
    actor: 'cli:tester',
    write: (text) => void output.push(text),
    confirm: () => Promise.resolve(answer),
    operations: () => operations,
  };
}

async function run(name: string, args: string[], answer = true) {
  const output: string[] = [];
  const command = commands[name];
  if (!command) throw new Error(`no command ${name}`);
  const status = await command.run(args, contextWith(output, answer));
  return { status, text: output.join('') };
}

const auditOf = (target: string) => createOperatorAudit(database.pool).recent({ target, limit: 10 });

describe('ops operator commands', () => {
  it('looks a user up and lists held deposits, audited under the CLI actor', async () => {
    const user = await createUserStore(database.pool).signIn({
      telegramUserId: 70_001,
      firstName: 'Olga',
      username: 'olga_ops',
    });
    const ledger = createLedger({ pool: database.pool });
    const [treasury, wallet] = await ledger.createAccounts([chart.treasury, chart.wallet(user.id)]);
    const txId = '7'.repeat(64);
    await ledger.submit([
      {
        type: 'posted',
        id: `deposit:${txId}:0`,
        code: 'deposit',
        debitAccountId: treasury!.id,
        creditAccountId: wallet!.id,
        amount: parseMoney('12.5', USDT),
        metadata: { txId, logIndex: 0, userId: user.id },
      },
      {
        type: 'pending',
        id: `deposit:${txId}:1`,
        code: 'deposit_review',
        debitAccountId: treasury!.id,
        creditAccountId: wallet!.id,
        amount: parseMoney('2', USDT),
        metadata: { txId, logIndex: 1, userId: user.id },
      },
    ]);

    const lookUp = await run('user', ['@olga_ops']);
    expect(lookUp.status).toBe(0);
    expect(lookUp.text).toContain(`${user.id}  telegram 70001  @olga_ops`);
    expect(lookUp.text).toContain('posted 12.500000 USDT  available 12.500000 USDT  pending 2.000000 USDT');
    expect(lookUp.text).toContain(`deposit ${txId}:1  2.000000 USDT  held_for_review`);
    const json = JSON.parse((await run('user', [user.id, '--json'])).text);
    expect(json[0].balances[0].pending).toEqual({ amount: '2.000000', asset: 'USDT' });
    expect((await auditOf('user:@olga_ops'))[0]).toMatchObject({
      actor: 'cli:tester',
      action: 'user.look_up',
      result: 'ok',
    });

    const held = await run('deposits:held', []);
    expect(held.text).toContain(`${txId}:1  2.000000 USDT  user ${user.id}`);
    expect(held.text).not.toContain(`${txId}:0`);
  });

  it('changes nothing when the operator declines, and audits a refused action', async () => {
    const deposit = `${'8'.repeat(64)}:0`;
    const declined = await run('deposit:approve', [deposit], false);
    expect(declined).toEqual({ status: 65, text: 'cancelled: nothing was changed\n' });
    expect(await auditOf(`deposit:${deposit}`)).toEqual([]);
    await expect(run('deposit:approve', [deposit, '--yes'])).rejects.toMatchObject({
      reason: 'deposit_not_found',
    });
    expect((await auditOf(`deposit:${deposit}`))[0]).toMatchObject({
      actor: 'cli:tester',
      action: 'deposit.approve',
      result: 'refused',
    });
    await expect(run('compensation:retry', ['card-load-nothing-here', '--yes'])).rejects.toMatchObject({
      reason: 'flow_not_found',
    });
    await expect(run('card:freeze', ['crd_notacardatall'])).rejects.toMatchObject({
      reason: 'card_not_found',
    });
  });

  it('verifies the ledger, lists no waiting flows on an idle queue, and refuses bad arguments', async () => {
    const verify = await run('ledger:verify', []);
    expect(verify.status).toBe(0);
    expect(verify.text).toMatch(/^ok: \d+ accounts, \d+ transfers checked\n$/);
    expect((await run('flows:waiting', [])).text).toBe('0 waiting of 0 open\n');
    expect((await run('load:resolve', ['l-1', 'loaded'])).status).toBe(64);
    expect((await run('load:resolve', ['l-1', 'maybe'])).status).toBe(64);
    expect((await run('deposit:reject', [])).status).toBe(64);
    expect((await run('deposits:held', ['--limit', '0'])).status).toBe(64);
    const unknownFlag = await run('user', ['@x', '--limit', '3']);
    expect(unknownFlag.status).toBe(64);
    expect(unknownFlag.text).toContain('usage: user');
    expect(await auditOf('card_load:l-1')).toEqual([]);
  });
});
