// Proves deposit_address and deposit_address_counter have one owner: no TypeScript file outside this package names
// either table, except test files that set up fixtures (the worker's older deposit test inserts its row directly).
// A query that creeps back into the watcher, the worker or packages/tron fails here.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const owner = 'packages/deposit-addresses/';
const tableName = /\bdeposit_address(?:_counter)?\b/;
const searched = ['packages', 'services', 'scripts', 'test'];
/** Bound on the walk: the repository has a few hundred source files. */
const filesMax = 20_000;

async function sourceFiles(directory: string, found: string[]): Promise<void> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await sourceFiles(path, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) found.push(path);
    if (found.length > filesMax) throw new Error(`more than ${filesMax} source files under ${directory}`);
  }
}

describe('deposit address tables', () => {
  it('are named only by their owning module', async () => {
    const files: string[] = [];
    for (const top of searched) await sourceFiles(join(root, top), files);
    expect(files.some((file) => relative(root, file).startsWith(owner))).toBe(true);
    const outside: string[] = [];
    for (const file of files) {
      const path = relative(root, file);
      if (!path.startsWith(owner) && tableName.test(await readFile(file, 'utf8'))) outside.push(path);
    }
    expect(outside).toEqual([]);
  });
});
