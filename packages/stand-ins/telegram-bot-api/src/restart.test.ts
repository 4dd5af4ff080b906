// Proves the stand-in, run as its own process with TELEGRAM_STAND_IN_STATE_DIR, survives `kill -9`: after a restart
// it still has every message it accepted, the updates not yet confirmed by getUpdates, the chats' menu buttons and
// blocked chats; `--fresh` starts empty.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandInProcess, type StandInProcess } from '@cardgate/local-stack';
import { createStandInClient } from './client.ts';
import { standInBotToken } from './stand-in.ts';

const stateDirectory = mkdtempSync(join(tmpdir(), 'telegram-stand-in-state-'));
let running: StandInProcess | undefined;

const start = (args: string[] = []) =>
  startStandInProcess({
    entry: 'packages/stand-ins/telegram-bot-api/src/main.ts',
    portVariable: 'TELEGRAM_STAND_IN_PORT',
    args,
    env: { TELEGRAM_STAND_IN_STATE_DIR: stateDirectory, LOG_LEVEL: 'warn' },
  });

async function call(method: string, parameters: Record<string, unknown>) {
  const response = await fetch(`${running!.url}/bot${standInBotToken}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(parameters),
  });
  return (await response.json()) as { ok: boolean; result: unknown };
}

afterAll(async () => {
  await running?.stop();
  rmSync(stateDirectory, { recursive: true, force: true });
});

describe('telegram stand-in state across restarts', () => {
  it('keeps messages, pending updates, menu buttons and blocked chats after kill -9, and --fresh forgets them', async () => {
    running = await start();
    let client = createStandInClient(running.url);
    expect((await call('sendMessage', { chat_id: 11, text: 'before the crash' })).ok).toBe(true);
    await client.userSays({ id: 12, first_name: 'Bo' }, '/start');
    await client.userSays({ id: 12, first_name: 'Bo' }, '/balance');
    const [first] = (await call('getUpdates', { offset: 0 })).result as { update_id: number }[];
    await call('getUpdates', { offset: first!.update_id + 1 });
    await call('setChatMenuButton', { chat_id: 12, menu_button: { type: 'commands' } });
    await client.setBlocked(13, true);
    await running.kill();

    running = await start();
    client = createStandInClient(running.url);
    expect((await client.messages()).map((message) => message.text)).toEqual(['before the crash']);
    const pending = (await call('getUpdates', { offset: 0 })).result as { message: { text: string } }[];
    expect(pending.map((update) => update.message.text)).toEqual(['/balance']);
    expect(await client.chat(12)).toMatchObject({ menuButton: { type: 'commands' } });
    expect(await client.chat(13)).toMatchObject({ blocked: true });
    expect((await call('sendMessage', { chat_id: 11, text: 'after' })).result).toMatchObject({
      message_id: 2,
    });
    await running.stop();

    running = await start(['--fresh']);
    client = createStandInClient(running.url);
    expect(await client.messages()).toEqual([]);
    expect(await client.chat(13)).toMatchObject({ blocked: false });
  });
});
