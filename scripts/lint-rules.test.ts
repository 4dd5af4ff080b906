// Proves the repository's lint rules that guard correctness: a Temporal workflow file that imports a Node
// built-in (other than the allowed assert/url/util) is rejected, the same import outside workflows is fine, and an
// unawaited promise is an error everywhere; the pure domain package imports no database, Temporal or Node I/O.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint rules', () => {
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
});
