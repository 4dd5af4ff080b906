// A property test over every write route the OpenAPI document lists (POST, PATCH): bodies built from each route's
// own schema but hostile — a JSON number where a decimal-string amount goes, wrong types, nulls, arrays, huge or
// strange strings, malformed amounts ('1e5', '-1', '0x10', '１', '1,5', too many decimals), broken or nested JSON,
// prototype keys — sent signed-in with an Idempotency-Key. Every answer must be a 4xx RFC 9457 problem+json, and no
// row of any business table may change. (api_idempotency may record the outcome of a request that passed validation
// and was refused by its handler, as Stripe does; app_user records the sign-in; both are left out of the comparison.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from '@cardgate/db';
import { z } from 'zod';
import { bodyOf, tmaHeader, useTestApi } from './testing.ts';

const api = useTestApi();
const attacker = { id: 9301, firstName: 'Mallory' };
const runsPerRoute = 25;
/** Tables whose rows a refused request may still write (see the opening comment). */
const tablesAllowedToChange = new Set(['api_idempotency', 'app_user', 'schema_migrations']);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $ref?: string;
}

async function tableCounts(): Promise<Record<string, number>> {
  const rows = await api.database.pool.any(sql.type(z.object({ table_name: z.string(), n: z.number() }))`
    select table_name::text as table_name,
      (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', table_name), false, true, '')))[1]::text::int4 as n
    from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  return Object.fromEntries(
    rows.filter((row) => !tablesAllowedToChange.has(row.table_name)).map((row) => [row.table_name, row.n]),
  );
}

const hostileAmounts = [
  '1e5',
  '-1',
  '0',
  '0x10',
  '１',
  '1,5',
  ' 1',
  '1.0000001',
  'NaN',
  'Infinity',
  '',
  '99999999999999999999999999',
];
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constant(1.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...hostileAmounts),
  fc.constant('x'.repeat(5_000)),
);

const rawTexts = [
  '',
  'not json',
  '{',
  '[]',
  'null',
  '"text"',
  '123',
  '{"a":',
  `${'['.repeat(2_000)}${']'.repeat(2_000)}`,
  '{"__proto__":{"polluted":true}}',
];

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  if (schema.$ref) return components[schema.$ref.replace('#/components/schemas/', '')] ?? {};
  return schema;
}

/** A body for the schema in which at least one field is hostile (its properties filled with plausible values otherwise). */
function hostileBody(schema: JsonSchema): fc.Arbitrary<string> {
  const properties = Object.keys(schema.properties ?? {});
  const asObject =
    properties.length === 0
      ? fc
          .dictionary(fc.string({ maxLength: 8 }), hostileValue, { minKeys: 1, maxKeys: 3 })
          .map((body) => JSON.stringify(body))
      : fc
          .record({
            target: fc.constantFrom(...properties),
            value: hostileValue,
            others: fc.dictionary(fc.constantFrom(...properties), hostileValue, {
              maxKeys: properties.length,
            }),
          })
          .map(({ target, value, others }) => JSON.stringify({ ...others, [target]: value }));
  return fc.oneof({ weight: 4, arbitrary: asObject }, { weight: 1, arbitrary: fc.constantFrom(...rawTexts) });
}

describe('hostile bodies on every write route', () => {
  it('answer 4xx problem+json and change no business row', async () => {
    const document = await bodyOf(await api.app.request('/openapi.json'));
    const components = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
    const routes: Array<{ method: string; path: string; schema: JsonSchema }> = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>))
      for (const method of ['post', 'patch']) {
        const operation = item[method] as
          { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined;
        if (!operation) continue;
        const schema = operation.requestBody?.content?.['application/json']?.schema ?? {};
        routes.push({ method: method.toUpperCase(), path, schema: resolve(schema, components) });
      }
    const authorization = tmaHeader(attacker);
    await api.app.request('/v1/me', { headers: { authorization } });
    const before = await tableCounts();
    let sent = 0;
    for (const route of routes) {
      const url = route.path.replace(/\{[^}]+\}/g, (name) =>
        name === '{id}' ? 'crd_aaaaaaaaaaaaaaaa' : 'unknown',
      );
      await fc.assert(
        fc.asyncProperty(hostileBody(route.schema), fc.uuid(), async (body, key) => {
          sent += 1;
          const response = await api.app.request(url, {
            method: route.method,
            headers: { authorization, 'content-type': 'application/json', 'idempotency-key': key },
            body,
          });
          const label = `${route.method} ${route.path} ${body.slice(0, 120)}`;
          expect(response.status, label).toBeGreaterThanOrEqual(400);
          expect(response.status, label).toBeLessThan(500);
          expect(response.headers.get('content-type'), label).toBe('application/problem+json');
          const problem = await bodyOf(response);
          expect(problem.status, label).toBe(response.status);
          expect(typeof problem.code, label).toBe('string');
        }),
        { numRuns: runsPerRoute },
      );
    }
    expect(await tableCounts()).toEqual(before);
    // Every write route was exercised (the count grows as routes are added; none may be skipped silently).
    expect(sent).toBe(routes.length * runsPerRoute);
  });
});
