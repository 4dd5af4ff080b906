// TEST ONLY. What the Mini App's browser tests share: Debian's chromium driven by playwright-core (its own browser
// download cannot work here, so scripts/ensure-chromium.sh installs the distribution's), a build of the app that is
// never older than its source, and a folder for screenshots.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
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

/** Builds the Mini App (with its bundle budget check) unless dist/ is newer than every source file. */
export function ensureBuilt(): void {
  const builtIndex = join(packageDirectory, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts'].map((name) => join(packageDirectory, name));
  if (existsSync(builtIndex)) {
    const builtMs = statSync(builtIndex).mtimeMs;
    if (sources.every((source) => newestModificationMs(source) <= builtMs)) return;
  }
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
