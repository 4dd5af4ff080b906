// The ops commands, by name. Each parses its own flags and returns the exit status (0 done, 64 usage, 65 refused).
import type { Logger } from '@cardgate/config';
import type { DatabasePool } from '@cardgate/db';
import { tokenCommands } from './commands/tokens.ts';

export interface CommandContext {
  readonly pool: DatabasePool;
  readonly logger: Logger;
  /** Who acts, for the audit: `cli:<os user>`. */
  readonly actor: string;
  readonly write: (text: string) => void;
  /** Asks before anything that moves money (skipped with --yes). */
  readonly confirm: (question: string) => Promise<boolean>;
}

export interface Command {
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], context: CommandContext): Promise<number>;
}

export const commands: Readonly<Record<string, Command>> = {
  ...tokenCommands,
};

export function helpText(): string {
  const lines = Object.values(commands).map((command) => `  ${command.usage.padEnd(58)} ${command.summary}`);
  return `usage: npm run ops -- <command> [flags]\n\ncommands:\n${lines.join('\n')}\n\nEvery command acts on DATABASE_URL and writes the operator audit.\n`;
}
