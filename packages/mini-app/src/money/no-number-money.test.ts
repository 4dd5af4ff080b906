// Proves the Mini App's source never turns text into a JavaScript number the way money would be mishandled:
// no parseFloat, parseInt, Number(...), Number.parse*, unary plus on a field, toFixed or valueAsNumber in any file
// that ships to the browser. Amounts stay decimal strings read by @cardgate/money (format-money.ts). The detector
// is checked on samples first, so the scan cannot pass by matching nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceDirectory = join(import.meta.dirname, '..');
const forbidden = [
  /\bparseFloat\b/,
  /\bparseInt\b/,
  /\bNumber\s*\(/,
  /\bNumber\.parse/,
  /\.toFixed\s*\(/,
  /\bvalueAsNumber\b/,
  /(^|[=(,:?]\s*)\+\s*[a-zA-Z_$][\w$.]*\.amount\b/,
];
/** Files that never reach the browser: Node-side helpers and tests. */
const notShipped = /(\.test\.ts|\.testing\.ts|(^|\/)testing\.ts|^index\.ts)$/;
const filesMax = 500;

function shippedSources(): string[] {
  const found: string[] = [];
  const pending = [sourceDirectory];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (/\.tsx?$/.test(entry.name) && !notShipped.test(relative(sourceDirectory, path)))
        found.push(path);
    }
    if (found.length > filesMax) throw new Error(`more than ${filesMax} source files`);
  }
  return found;
}

const offendingLines = (text: string): string[] =>
  text.split('\n').filter((line) => forbidden.some((pattern) => pattern.test(line)));

describe('no money as a JavaScript number in the Mini App', () => {
  it('detects each forbidden conversion in a sample', () => {
    const samples = [
      'const value = parseFloat(balance.amount);',
      'const cents = Number(quote.received.amount) * 100;',
      'Number.parseFloat(text)',
      'parseInt(x, 10)',
      'total.toFixed(2)',
      'input.valueAsNumber',
      'const sum = +balance.amount;',
    ];
    for (const sample of samples) expect(offendingLines(sample), sample).toHaveLength(1);
    expect(offendingLines("formatAmount(balance.available, 'en')")).toHaveLength(0);
  });

  it('finds none in the files that ship', () => {
    const files = shippedSources();
    expect(files.length).toBeGreaterThan(10);
    const offences = files.flatMap((path) =>
      offendingLines(readFileSync(path, 'utf8')).map(
        (line) => `${relative(sourceDirectory, path)}: ${line.trim()}`,
      ),
    );
    expect(offences).toEqual([]);
  });
});
