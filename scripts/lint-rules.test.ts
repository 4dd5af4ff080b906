// Proves the repository's lint rules that guard correctness: a Temporal workflow file that imports a Node
// built-in (other than the allowed assert/url/util) is rejected, the same import outside workflows is fine, and an
// unawaited promise is an error everywhere; production code (services/*/src, packages/* outside stand-ins) may not
// import a stand-in or a test helper, while tests, test helpers, stand-ins and scripts may; the pure domain package
// imports no database, Temporal or Node I/O.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { standInPackages } from './stand-ins.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

// The first lint builds the type-aware program (7-16 s alone, over 30 s on a loaded machine): a longer bound.
describe('lint rules', { timeout: 120_000 }, () => {
  it('forbids Node built-ins in workflow files', async () => {
    const ids = await ruleIds(
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'services/worker/src/workflows/health-check.workflow.ts',
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('allows the deterministic built-ins Temporal permits in workflow files', async () => {
    const ids = await ruleIds(
      "import assert from 'node:assert';\nexport const x = assert;\n",
      'services/worker/src/workflows/health-check.workflow.ts',
    );
    expect(ids).not.toContain('no-restricted-imports');
  });

  it('allows Node built-ins in activities', async () => {
    const ids = await ruleIds(
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'services/worker/src/activities/index.ts',
    );
    expect(ids).not.toContain('no-restricted-imports');
  });

  it('keeps packages/domain free of database, Temporal and Node I/O imports, and allows ledger types', async () => {
    const file = 'packages/domain/src/fx-quote.ts';
    for (const forbidden of [
      "import { sql } from '@cardgate/db';\nexport const x = sql;\n",
      "import { createLedger } from '@cardgate/ledger';\nexport const x = createLedger;\n",
      "import { sql } from 'slonik';\nexport const x = sql;\n",
      "import pg from 'pg';\nexport const x = pg;\n",
      "import { proxyActivities } from '@temporalio/workflow';\nexport const x = proxyActivities;\n",
      "import { Queue } from 'bullmq';\nexport const x = Queue;\n",
      "import { Redis } from 'ioredis';\nexport const x = Redis;\n",
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      "import { request } from 'node:http';\nexport const x = request;\n",
      "import { spawn } from 'node:child_process';\nexport const x = spawn;\n",
    ])
      expect(await ruleIds(forbidden, file), forbidden).toContain('no-restricted-imports');
    const allowed = await ruleIds(
      "import type { TransferRequest } from '@cardgate/ledger';\nexport type X = TransferRequest;\n",
      file,
    );
    expect(allowed).not.toContain('no-restricted-imports');
  });

  it('rejects a floating promise', async () => {
    const ids = await ruleIds(
      'async function write(): Promise<void> {}\nexport function caller(): void {\n  write();\n}\n',
      'services/worker/src/activities/index.ts',
    );
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
  });

  const standInRule = '@typescript-eslint/no-restricted-imports';
  const importOf = (name: string): string =>
    `import * as imported from '${name}';\nexport const x = imported;\n`;

  it.each(standInPackages)('rejects a production import of the stand-in %s', async (name) => {
    for (const filePath of [
      'services/worker/src/activities/index.ts',
      'services/api/src/app.ts',
      'services/watcher/src/watcher.ts',
      'packages/ledger/src/engine.ts',
    ]) {
      expect(await ruleIds(importOf(name), filePath), filePath).toContain(standInRule);
      expect(await ruleIds(importOf(`${name}/src/index.ts`), filePath), filePath).toContain(standInRule);
    }
  });

  it('rejects a type-only production import of a stand-in', async () => {
    const ids = await ruleIds(
      "import type { CardView } from '@cardgate/card-sandbox';\nexport type X = CardView;\n",
      'services/worker/src/activities/index.ts',
    );
    expect(ids).toContain(standInRule);
  });

  it('rejects a production import of another service, by path or by name, and allows a service its own files', async () => {
    for (const [source, filePath] of [
      ['../../worker/src/activities/index.ts', 'services/api/src/app.ts'],
      ['../../../services/watcher/src/follower.ts', 'packages/ledger/src/engine.ts'],
      ['@cardgate/worker', 'services/api/src/app.ts'],
    ] as const)
      expect(await ruleIds(importOf(source), filePath), source).toContain(standInRule);
    expect(
      await ruleIds(importOf('../activities/index.ts'), 'services/worker/src/workflows/index.ts'),
    ).not.toContain(standInRule);
    expect(
      await ruleIds(importOf('../services/worker/src/testing.ts'), 'test/card-flows.test.ts'),
    ).not.toContain(standInRule);
  });

  it('rejects a production import of a test helper', async () => {
    for (const source of ['./testing.ts', '../time-skipping.testing.ts', '../src/testing']) {
      const ids = await ruleIds(importOf(source), 'services/worker/src/workflows/index.ts');
      expect(ids, source).toContain(standInRule);
    }
  });

  it('allows stand-ins in tests, test helpers, the stand-ins themselves, scripts and test/', async () => {
    for (const filePath of [
      'services/worker/src/workflows/deposit.workflow.test.ts',
      'services/worker/src/testing.ts',
      'services/worker/src/time-skipping.testing.ts',
      'packages/stand-ins/card-sandbox/src/sandbox.ts',
      'scripts/dev/main.ts',
      'test/card-stack.ts',
    ]) {
      expect(await ruleIds(importOf('@cardgate/local-stack'), filePath), filePath).not.toContain(standInRule);
    }
  });

  it('allows a production import of a library that only looks like a stand-in', async () => {
    for (const source of ['@cardgate/tron', './testing-window.ts', './attesting.ts']) {
      const ids = await ruleIds(importOf(source), 'services/worker/src/activities/index.ts');
      expect(ids, source).not.toContain(standInRule);
    }
  });
});
