// The stand-in's records in one SQLite file (node:sqlite, as the card sandbox keeps its own): the updates not yet
// confirmed by getUpdates, every message the bot sent, the menu buttons and command lists it set, and the chats whose
// user blocked the bot. WAL with synchronous=FULL: a message is on disk before the bot hears it was accepted, so a
// `kill -9` of the stand-in never forgets a message the bot was told about. Without a directory it lives in memory.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const standInStateFile = 'telegram-bot-api.sqlite';

export interface SentMessage {
  readonly messageId: number;
  readonly chatId: number;
  readonly method: string;
  readonly text: string;
  /** The request's parameters as the bot sent them (reply_markup, parse_mode, ...). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly receivedAtMs: number;
}

export interface StandInStore {
  addUpdate(build: (updateId: number) => Record<string, unknown>): number;
  /** Updates with an id at or after `offset`, oldest first; earlier ones are forgotten (Telegram's confirmation). */
  updatesFrom(offset: number, limit: number): Record<string, unknown>[];
  addMessage(message: Omit<SentMessage, 'messageId'>): SentMessage;
  messages(filter: { chatId?: number; afterId?: number; limit: number }): SentMessage[];
  messageCount(): number;
  setting(scope: string, name: string): unknown;
  putSetting(scope: string, name: string, value: unknown): void;
  settings(name: string): Record<string, unknown>;
  close(): void;
}

export function discardStandInState(directory: string): void {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(join(directory, standInStateFile + suffix), { force: true });
}

const rowOf = (row: Record<string, unknown>): SentMessage => ({
  messageId: Number(row.message_id),
  chatId: Number(row.chat_id),
  method: String(row.method),
  text: String(row.text),
  parameters: JSON.parse(String(row.parameters)) as Record<string, unknown>,
  receivedAtMs: Number(row.received_at_ms),
});

export function openStandInStore(directory?: string): StandInStore {
  let path = ':memory:';
  if (directory !== undefined) {
    mkdirSync(directory, { recursive: true });
    path = join(directory, standInStateFile);
  }
  const database = new DatabaseSync(path);
  database.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS pending_update (update_id INTEGER PRIMARY KEY AUTOINCREMENT, json TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sent_message (
      message_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, method TEXT NOT NULL,
      text TEXT NOT NULL, parameters TEXT NOT NULL, received_at_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sent_message_chat ON sent_message (chat_id, message_id);
    CREATE TABLE IF NOT EXISTS setting (
      scope TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (scope, name)
    );
  `);
  const insertUpdate = database.prepare("INSERT INTO pending_update (json) VALUES ('{}')");
  const fillUpdate = database.prepare('UPDATE pending_update SET json = ? WHERE update_id = ?');
  const forgetUpdates = database.prepare('DELETE FROM pending_update WHERE update_id < ?');
  const readUpdates = database.prepare(
    'SELECT json FROM pending_update WHERE update_id >= ? ORDER BY update_id LIMIT ?',
  );
  const insertMessage = database.prepare(
    'INSERT INTO sent_message (chat_id, method, text, parameters, received_at_ms) VALUES (?, ?, ?, ?, ?)',
  );
  const readMessages = database.prepare(
    'SELECT * FROM sent_message WHERE message_id > ? AND (? IS NULL OR chat_id = ?) ORDER BY message_id LIMIT ?',
  );
  const countMessages = database.prepare('SELECT count(*) AS n FROM sent_message');
  const readSetting = database.prepare('SELECT json FROM setting WHERE scope = ? AND name = ?');
  const readSettings = database.prepare('SELECT scope, json FROM setting WHERE name = ? ORDER BY scope');
  const writeSetting = database.prepare(
    'INSERT INTO setting (scope, name, json) VALUES (?, ?, ?) ON CONFLICT (scope, name) DO UPDATE SET json = excluded.json',
  );
  const transaction = <T>(work: () => T): T => {
    database.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      database.exec('COMMIT');
      return result;
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  };

  return {
    addUpdate: (build) =>
      transaction(() => {
        const updateId = Number(insertUpdate.run().lastInsertRowid);
        fillUpdate.run(JSON.stringify({ ...build(updateId), update_id: updateId }), updateId);
        return updateId;
      }),
    updatesFrom(offset, limit) {
      if (offset > 0) forgetUpdates.run(offset);
      return readUpdates
        .all(offset, limit)
        .map((row) => JSON.parse(String(row.json)) as Record<string, unknown>);
    },
    addMessage(message) {
      const result = insertMessage.run(
        message.chatId,
        message.method,
        message.text,
        JSON.stringify(message.parameters),
        message.receivedAtMs,
      );
      return { ...message, messageId: Number(result.lastInsertRowid) };
    },
    messages: (filter) =>
      readMessages
        .all(filter.afterId ?? 0, filter.chatId ?? null, filter.chatId ?? null, filter.limit)
        .map(rowOf),
    messageCount: () => Number(countMessages.get()?.n ?? 0),
    setting(scope, name) {
      const row = readSetting.get(scope, name);
      return row === undefined ? undefined : (JSON.parse(String(row.json)) as unknown);
    },
    putSetting(scope, name, value) {
      writeSetting.run(scope, name, JSON.stringify(value));
    },
    settings(name) {
      const all: Record<string, unknown> = {};
      for (const row of readSettings.all(name)) all[String(row.scope)] = JSON.parse(String(row.json));
      return all;
    },
    close: () => database.close(),
  };
}
