// Proves the batch call's array literals mean to PostgreSQL exactly the arrays they were made from: text with every
// character the literal syntax treats specially (quotes, backslashes, braces, commas, spaces, the word NULL, the empty
// string, newlines, non-ASCII), nulls, empty arrays, int8 at both ends of its range, and booleans; each read back
// through the same casts the ledger uses.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { useTestDatabase } from '@cardgate/test-harness';
import { boolArrayLiteral, int8ArrayLiteral, textArrayLiteral } from './array-literal.ts';

const database = useTestDatabase();

describe('array literals', () => {
  it('round-trip text, int8 and bool arrays through PostgreSQL', async () => {
    const texts = [
      'plain',
      'NULL',
      'null',
      '',
      ' spaced ',
      'a,b',
      '{braces}',
      'quote"inside',
      'back\\slash',
      '\\"',
      'line\nbreak',
      'tab\there',
      'ünïcødé ₮',
      '{"json": "value \\"quoted\\""}',
      null,
    ];
    const int8s = [0n, -1n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, null, 42n];
    const bools = [true, false, null];
    const row = await database.pool.one(sql.type(
      z.object({
        texts: z.array(z.string().nullable()),
        int8s: z.array(z.string().nullable()),
        bools: z.unknown(),
      }),
    )`
      select ${textArrayLiteral(texts)}::text[] as texts,
        (${int8ArrayLiteral(int8s)}::int8[])::text[] as int8s,
        ${boolArrayLiteral(bools)}::bool[] as bools`);
    expect(row.texts).toEqual(texts);
    expect(row.int8s).toEqual(int8s.map((value) => (value === null ? null : value.toString())));
    expect(row.bools).toEqual(bools);
  });

  it('make empty arrays empty, not arrays of one empty element', async () => {
    const row = await database.pool.one(sql.type(
      z.object({ texts: z.number(), int8s: z.number(), bools: z.number() }),
    )`
      select cardinality(${textArrayLiteral([])}::text[]) as texts,
        cardinality(${int8ArrayLiteral([])}::int8[]) as int8s,
        cardinality(${boolArrayLiteral([])}::bool[]) as bools`);
    expect(row).toEqual({ texts: 0, int8s: 0, bools: 0 });
  });

  it('quote every text element and escape only quotes and backslashes', () => {
    expect(textArrayLiteral(['a', 'NULL', 'b"c\\d', null])).toBe('{"a","NULL","b\\"c\\\\d",NULL}');
    expect(int8ArrayLiteral([1n, null, -2n])).toBe('{1,NULL,-2}');
    expect(boolArrayLiteral([true, false, null])).toBe('{t,f,NULL}');
  });
});
