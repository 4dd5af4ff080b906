// Proves that what ships does not depend on a stand-in: the stand-ins are exactly the workspaces under
// packages/stand-ins plus test/harness (and the lint rule lists every one of them); no production manifest (services/*,
// packages/* outside stand-ins) lists a stand-in under `dependencies`; and no production source file names one in an
// import, export, dynamic import() or require(), which the lint rule alone would miss (dynamic imports, a disabled
// rule). Tests (*.test.ts) and test helpers (testing.ts, *.testing.ts) may use stand-ins.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standInPackages } from './stand-ins.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const filesVisitedMax = 20_000;

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

const manifestAt = (directory: string): Manifest =>
  JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8')) as Manifest;

const subdirectories = (directory: string): string[] =>
  readdirSync(join(root, directory), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(directory, entry.name));

const hasManifest = (directory: string): boolean => {
  try {
    return statSync(join(root, directory, 'package.json')).isFile();
  } catch {
    return false;
  }
};

const standInDirectories = [...subdirectories('packages/stand-ins'), 'test/harness'];
const productionDirectories = [
  ...subdirectories('services'),
  ...subdirectories('packages').filter((directory) => directory !== join('packages', 'stand-ins')),
].filter(hasManifest);

const isTestOrHelper = (path: string): boolean => /(\.test|\.testing|(^|\/)testing)\.ts$/.test(path);

function productionSources(directory: string): string[] {
  const found: string[] = [];
  const pending = [join(directory, 'src')];
  let visited = 0;
  while (pending.length > 0) {
    const current = pending.pop()!;
    visited += 1;
    if (visited > filesVisitedMax) throw new Error(`more than ${filesVisitedMax} entries under ${directory}`);
    for (const entry of readdirSync(join(root, current), { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('.ts') && !isTestOrHelper(path)) found.push(path);
    }
  }
  return found;
}

/** Module specifiers in `text` that name a stand-in or a test helper: static, dynamic and require() forms. */
function forbiddenSpecifiers(text: string, standIns: readonly string[]): string[] {
  const specifiers = [...text.matchAll(/\b(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (match) => match[1]!,
  );
  return specifiers.filter(
    (specifier) =>
      standIns.some((name) => specifier === name || specifier.startsWith(`${name}/`)) ||
      /(^|\/)([^/]+\.)?testing(\.ts)?$/.test(specifier),
  );
}

describe('production code and stand-ins', () => {
  it('the lint rule lists exactly the stand-in workspaces', () => {
    const names = standInDirectories.map((directory) => manifestAt(directory).name);
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect([...standInPackages].sort()).toEqual(names.sort());
  });

  it('no production manifest lists a stand-in under dependencies', () => {
    expect(productionDirectories).toContain(join('services', 'worker'));
    const offending = productionDirectories.flatMap((directory) =>
      Object.keys(manifestAt(directory).dependencies ?? {})
        .filter((name) => standInPackages.includes(name))
        .map((name) => `${directory}/package.json: ${name}`),
    );
    expect(offending).toEqual([]);
  });

  it('finds every form of a forbidden import', () => {
    const text = [
      "import { startDevnet } from '@cardgate/tron-devnet';",
      "import type { CardView } from '@cardgate/card-sandbox/src/state.ts';",
      "export { harnessContext } from '@cardgate/test-harness';",
      "const stack = await import('@cardgate/local-stack');",
      "const helper = require('./testing.ts');",
      "import { useTimeSkipping } from '../time-skipping.testing.ts';",
      "import { parseTronAddress } from '@cardgate/tron';",
      "import { window } from './testing-window.ts';",
    ].join('\n');
    expect(forbiddenSpecifiers(text, standInPackages)).toEqual([
      '@cardgate/tron-devnet',
      '@cardgate/card-sandbox/src/state.ts',
      '@cardgate/test-harness',
      '@cardgate/local-stack',
      './testing.ts',
      '../time-skipping.testing.ts',
    ]);
  });

  it('no production source file imports a stand-in or a test helper', () => {
    const sources = productionDirectories.flatMap(productionSources);
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.flatMap((path) =>
      forbiddenSpecifiers(readFileSync(join(root, path), 'utf8'), standInPackages).map(
        (specifier) => `${relative(root, join(root, path))}: ${specifier}`,
      ),
    );
    expect(offending).toEqual([]);
  });
});
