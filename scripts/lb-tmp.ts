import { createLedger } from '/work/main/packages/ledger/src/index.ts';
import { USDT, moneyFromMinor } from '@cardgate/money';
import { createDatabasePool, sql } from '@cardgate/db';
import { withDatabase } from '@cardgate/local-stack';
import { createBenchDatabase } from '/work/main/scripts/bench/database.ts';
const { pool, close } = await createBenchDatabase('cardgate_bench_l2', 12);
await pool.query(sql.unsafe`alter database cardgate_bench_l2 set track_functions = 'pl'`);
const pool2 = await createDatabasePool({
  connectionUri: withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'cardgate_bench_l2'),
  maxPoolSize: 12,
});
const ledger = createLedger({ pool: pool2 });
const accounts = await ledger.createAccounts(
  Array.from({ length: 1000 }, (_, i) => ({ code: `a:${i}`, asset: 'USDT', kind: 'liability' as const })),
);
for (const round of [1, 2]) {
  let next = 0;
  const N = 16000;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < N) {
        const i = next++;
        await ledger.transfer({
          type: 'posted',
          id: `t${round}-${i}`,
          code: 'x',
          debitAccountId: accounts[(2 * i) % 1000]!.id,
          creditAccountId: accounts[(2 * i + 1) % 1000]!.id,
          amount: moneyFromMinor(1n, USDT),
        });
      }
    }),
  );
  const s = (performance.now() - t) / 1000;
  console.log('per s', (N / s).toFixed(0));
}
await new Promise((r) => setTimeout(r, 800));
console.log(
  await pool.any(
    sql.unsafe`select funcname, calls, round(total_time::numeric / calls, 3) as ms from pg_stat_user_functions`,
  ),
);
await pool2.end();
await close();
