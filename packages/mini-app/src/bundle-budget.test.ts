// Proves the bundle budget fails a build whose initial JavaScript is over 80 KB gzipped and passes one under it,
// counting the entry script and the chunks index.html preloads (not lazy chunks), gzipped as served.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initialJsGzipBytesMax, measureBundle } from '../scripts/bundle-budget.ts';

const directories: string[] = [];
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

/** A fake dist/ whose entry and preloaded chunk hold `entryBytes` and `preloadBytes` of incompressible data. */
function fakeDist(entryBytes: number, preloadBytes: number, lazyBytes: number): string {
  const directory = mkdtempSync(join(tmpdir(), 'mini-app-budget-'));
  directories.push(directory);
  mkdirSync(join(directory, 'assets'));
  const random = (bytes: number) => `// ${randomBytes(bytes).toString('base64')}\n`;
  writeFileSync(join(directory, 'assets', 'entry.js'), random(entryBytes));
  writeFileSync(join(directory, 'assets', 'shared.js'), random(preloadBytes));
  writeFileSync(join(directory, 'assets', 'lazy.js'), random(lazyBytes));
  writeFileSync(
    join(directory, 'index.html'),
    '<html><head><script type="module" crossorigin src="/app/assets/entry.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/app/assets/shared.js"></head></html>',
  );
  return directory;
}

const runBudget = (directory: string): { status: number; output: string } => {
  try {
    const output = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'scripts', 'bundle-budget.ts'), '--dist', directory],
      {
        stdio: 'pipe',
      },
    );
    return { status: 0, output: output.toString() };
  } catch (error) {
    const failure = error as { status: number; stdout: Buffer; stderr: Buffer };
    return { status: failure.status, output: `${failure.stdout.toString()}${failure.stderr.toString()}` };
  }
};

describe('bundle budget', () => {
  it('counts the entry and its preloaded chunks, not lazy ones', () => {
    const report = measureBundle(fakeDist(20_000, 20_000, 200_000));
    expect(report.initialFiles).toHaveLength(2);
    // base64 of random bytes gzips to about 3/4 of its length: 2 × 26,667 characters → about 40 KB.
    expect(report.initialJsGzipBytes).toBeGreaterThan(35_000);
    expect(report.initialJsGzipBytes).toBeLessThan(initialJsGzipBytesMax);
    expect(report.lazyJsGzipBytes).toBeGreaterThan(initialJsGzipBytesMax);
  });

  it('passes a build within the budget and fails one above it', () => {
    const within = runBudget(fakeDist(20_000, 20_000, 200_000));
    expect(within.status).toBe(0);
    expect(within.output).toMatch(/initial JS \d+\.\d KB gzipped .* within/);
    const over = runBudget(fakeDist(70_000, 30_000, 0));
    expect(over.status).toBe(1);
    expect(over.output).toContain('OVER');
    expect(over.output).toContain('the build fails');
  });
});
