// Runs after `vite build`: prints the size of the JavaScript a user downloads before the first screen (the entry
// script of dist/index.html and the chunks it preloads), gzipped as it goes over the wire, and fails the build when
// it is above the budget. Lazy chunks load later and are listed apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { miniAppBasePath, miniAppDistDirectory } from '../src/index.ts';

/** Issue 11: the initial JavaScript at most 80 KB gzipped (Telegram users are often on mobile data). */
export const initialJsGzipBytesMax = 80 * 1024;

export interface BundleReport {
  readonly initialJsGzipBytes: number;
  readonly initialJsBytes: number;
  readonly initialFiles: string[];
  readonly lazyJsGzipBytes: number;
  readonly cssGzipBytes: number;
}

const gzipBytes = (path: string): number => gzipSync(readFileSync(path), { level: 9 }).length;

export function measureBundle(distDirectory = miniAppDistDirectory): BundleReport {
  const html = readFileSync(join(distDirectory, 'index.html'), 'utf8');
  const initial = new Set<string>();
  for (const match of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) initial.add(match[1]!);
  for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g))
    initial.add(match[1]!);
  if (initial.size === 0) throw new Error(`no entry script in ${join(distDirectory, 'index.html')}`);
  const local = (url: string): string => join(distDirectory, url.replace(miniAppBasePath, ''));
  const initialFiles = [...initial].map(local);
  const assets = readdirSync(join(distDirectory, 'assets')).map((name) =>
    join(distDirectory, 'assets', name),
  );
  const sum = (paths: string[], measure: (path: string) => number): number =>
    paths.reduce((total, path) => total + measure(path), 0);
  return {
    initialJsGzipBytes: sum(initialFiles, gzipBytes),
    initialJsBytes: sum(initialFiles, (path) => readFileSync(path).length),
    initialFiles,
    lazyJsGzipBytes: sum(
      assets.filter((path) => path.endsWith('.js') && !initialFiles.includes(path)),
      gzipBytes,
    ),
    cssGzipBytes: sum(
      assets.filter((path) => path.endsWith('.css')),
      gzipBytes,
    ),
  };
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.main) {
  // `--dist <directory>` measures another build (the budget's own test gives it one over the budget).
  const distFlag = process.argv.indexOf('--dist');
  const report = measureBundle(distFlag === -1 ? undefined : process.argv[distFlag + 1]);
  const within = report.initialJsGzipBytes <= initialJsGzipBytesMax;
  process.stdout.write(
    `[mini-app] initial JS ${kilobytes(report.initialJsGzipBytes)} gzipped (${kilobytes(report.initialJsBytes)} raw, ` +
      `${report.initialFiles.length} file(s)); budget ${kilobytes(initialJsGzipBytesMax)}: ` +
      `${within ? 'within' : 'OVER'} (${((report.initialJsGzipBytes / initialJsGzipBytesMax) * 100).toFixed(0)}%); ` +
      `lazy JS ${kilobytes(report.lazyJsGzipBytes)}, CSS ${kilobytes(report.cssGzipBytes)} gzipped\n`,
  );
  if (!within) {
    process.stderr.write('[mini-app] the initial JavaScript is over its budget: the build fails\n');
    process.exit(1);
  }
}
