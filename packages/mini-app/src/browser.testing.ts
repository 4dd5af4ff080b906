// TEST ONLY. What the Mini App's browser tests share: Debian's chromium driven by playwright-core (its own browser
// download cannot work here, so scripts/ensure-chromium.sh installs the distribution's), a build of the app that is
// never older than its source, and a folder for screenshots.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const packageDirectory = join(import.meta.dirname, '..');
export const repositoryRoot = join(packageDirectory, '..', '..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots and figures of the browser tests (ignored by git); CI may keep the folder as artefacts. */
export const artifactsDirectory = join(repositoryRoot, 'test-artifacts', 'mini-app');

/** Installs chromium when it is missing (apt-get, once per machine); a file test when it is there. */
export function ensureChromium(): void {
  execFileSync('bash', [join(repositoryRoot, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
}

function newestModificationMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestModificationMs(join(path, entry)));
  return newest;
}

/** How long a test file waits for another one's build of the Mini App, and how often it looks. */
const buildLockWaitMsMax = 120_000;
const buildLockPollMs = 100;
/** A lock older than this was left by a process that died while building; it is taken over. */
const buildLockStaleMs = 300_000;

function isBuilt(): boolean {
  const builtIndex = join(packageDirectory, 'dist', 'index.html');
  if (!existsSync(builtIndex)) return false;
  const builtMs = statSync(builtIndex).mtimeMs;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((name) => join(packageDirectory, name));
  return sources.every((source) => newestModificationMs(source) <= builtMs);
}

/**
 * Builds the Mini App (with its bundle budget check) unless dist/ is newer than every source file. The browser test
 * files run in parallel and each may find the build stale: one builds while the others wait (a directory is the
 * lock, made atomically), since a second build empties dist/ under the first one's server.
 */
export function ensureBuilt(): void {
  if (isBuilt()) return;
  // In node_modules (ignored by git), so a lock left by a killed run never shows as a change.
  const lock = join(repositoryRoot, 'node_modules', '.cardgate-mini-app-build-lock');
  const deadline = Date.now() + buildLockWaitMsMax;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const lockedAtMs = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (lockedAtMs !== undefined && Date.now() - lockedAtMs > buildLockStaleMs)
        rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build of the Mini App holds ${lock}`);
      else if (lockedAtMs !== undefined)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, buildLockPollMs);
    }
  }
  try {
    if (!isBuilt()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(): void {
  const require = createRequire(join(packageDirectory, 'package.json'));
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
    cwd: packageDirectory,
    stdio: 'pipe',
  });
  execFileSync(process.execPath, ['scripts/bundle-budget.ts'], { cwd: packageDirectory, stdio: 'pipe' });
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifactsDirectory, { recursive: true });
  // --no-sandbox: the tests run as root in a container, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}
