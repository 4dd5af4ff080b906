// PostgreSQL array literals ('{1,2,NULL}', '{"a","b\"c"}') for the batch call's arrays, sent as one text parameter
// each and cast in SQL (`::int8[]`). Hand-written, for a measured reason: a batch of 800 transfers sends about 38
// arrays of 800 elements, and node-postgres serialises a JS array element by element (prepareValue's type checks, two
// regex replaces per string): 430–480 µs per 800-element array here, against 140–160 µs for these, and that work
// sat between one commit and the next (about a third of Node's CPU per batch transfer, bench:ledger's probe). The
// database parses the same literal either way.

/** Elements with either character need a backslash before it inside the double quotes; nothing else does. */
const needsEscape = /["\\]/;

/** A text[] literal: every element double-quoted (so 'NULL', '', spaces, braces and commas stay text), null as NULL. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else literal += `"${needsEscape.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/** An int8[] literal, null as NULL. */
export function int8ArrayLiteral(values: readonly (bigint | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : value.toString();
  }
  return `${literal}}`;
}

/** A bool[] literal, null as NULL. */
export function boolArrayLiteral(values: readonly (boolean | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : value ? 't' : 'f';
  }
  return `${literal}}`;
}
