// The owner of the reconciliation tables (migration 0015): runs and their findings, and the reconciler's own record
// of final USDT transfers to our addresses with the block it has read through. Nothing else names these tables.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';
import type { ChainTransfer } from './compare-chain.ts';
import type { Comparison, Finding, FindingCategory } from './findings.ts';

/** Bound on the findings stored per run (the run's counts are always whole); an operator needs the first ones. */
export const storedFindingsMax = 10_000;
/** Bound on one page of recorded transfers, and on one insert. */
export const transferRowsMax = 20_000;

const noRows = z.object({});
const idRow = z.object({ id: z.bigint() });
const cursorRow = z.object({ block_number: z.bigint(), block_hash: z.string() });
const transferRow = z.object({
  tx_id: z.string(),
  log_index: z.number(),
  to_address: z.string(),
  from_address: z.string(),
  amount_minor: z.bigint(),
  block_number: z.bigint(),
});
const runRow = z.object({
  id: z.bigint(),
  trigger: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(['running', 'clean', 'differences', 'failed']),
  as_of: z.record(z.string(), z.unknown()),
  summary: z.record(z.string(), z.unknown()),
  differences_count: z.number(),
  in_flight_count: z.number(),
  failure: z.string().nullable(),
});
const lastRunRow = z.object({
  finished_at_seconds: z.number(),
  status: z.enum(['clean', 'differences', 'failed']),
  id: z.bigint(),
});
const findingCountRow = z.object({
  comparison: z.string(),
  category: z.string(),
  kind: z.string(),
  count: z.number(),
});
const findingRow = z.object({
  comparison: z.enum(['ledger', 'chain', 'provider']),
  category: z.enum(['difference', 'in_flight']),
  kind: z.string(),
  asset: z.string().nullable(),
  ledger_minor: z.bigint().nullable(),
  other_minor: z.bigint().nullable(),
  objects: z.record(z.string(), z.string()),
  detail: z.string(),
});

export interface StoredRun {
  readonly id: bigint;
  readonly trigger: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'clean' | 'differences' | 'failed';
  readonly asOf: Readonly<Record<string, unknown>>;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly differences: number;
  readonly inFlight: number;
  readonly failure: string | null;
  readonly findings: readonly Finding[];
}

const isoText = (column: string) =>
  sql.fragment`to_char(${sql.identifier([column])} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export function createReconciliationStore(pool: DatabasePool) {
  return {
    async beginRun(trigger: string): Promise<bigint> {
      const row = await pool.one(sql.type(idRow)`
        insert into reconciliation_run (trigger, status) values (${trigger}, 'running') returning id`);
      return row.id;
    },

    /** Closes the run with its as-of points, summary and findings (the first `storedFindingsMax` of them). */
    async finishRun(
      runId: bigint,
      outcome: {
        asOf: Readonly<Record<string, unknown>>;
        summary: Readonly<Record<string, unknown>>;
        findings: readonly Finding[];
      },
    ): Promise<void> {
      const findings = outcome.findings.slice(0, storedFindingsMax);
      const differences = outcome.findings.filter((finding) => finding.category === 'difference').length;
      const column = <T>(pick: (finding: Finding) => T): T[] => findings.map(pick);
      await pool.transaction(async (connection) => {
        await connection.query(sql.type(noRows)`
          insert into reconciliation_finding (run_id, ordinal, comparison, category, kind, asset, ledger_minor,
            other_minor, objects, detail)
          select ${runId}, ordinal - 1, comparison, category, kind, asset, ledger_minor, other_minor, objects::jsonb, detail
          from unnest(${sql.array(
            column((finding) => finding.comparison),
            'text',
          )},
            ${sql.array(
              column((finding) => finding.category),
              'text',
            )},
            ${sql.array(
              column((finding) => finding.kind),
              'text',
            )},
            ${sql.array(
              column((finding) => finding.asset),
              'text',
            )},
            ${sql.array(
              column((finding) => finding.ledgerMinor),
              'int8',
            )},
            ${sql.array(
              column((finding) => finding.otherMinor),
              'int8',
            )},
            ${sql.array(
              column((finding) => JSON.stringify(finding.objects)),
              'text',
            )},
            ${sql.array(
              column((finding) => finding.detail.slice(0, 1000)),
              'text',
            )}) with ordinality
            as v(comparison, category, kind, asset, ledger_minor, other_minor, objects, detail, ordinal)`);
        await connection.query(sql.type(noRows)`
          update reconciliation_run set finished_at = now(), status = ${differences === 0 ? 'clean' : 'differences'},
            as_of = ${JSON.stringify(outcome.asOf)}::jsonb, summary = ${JSON.stringify(outcome.summary)}::jsonb,
            differences_count = ${differences}, in_flight_count = ${outcome.findings.length - differences}
          where id = ${runId} and status = 'running'`);
      });
    },

    async failRun(runId: bigint, failure: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        update reconciliation_run set finished_at = now(), status = 'failed', failure = ${failure.slice(0, 2000)}
        where id = ${runId} and status = 'running'`);
    },

    /** The latest finished run with its stored findings, or null before the first: what operator routes show. */
    async lastFinishedRun(): Promise<StoredRun | null> {
      const run = await pool.maybeOne(sql.type(runRow)`
        select id, trigger, ${isoText('started_at')} as started_at, ${isoText('finished_at')} as finished_at, status,
          as_of, summary, differences_count, in_flight_count, failure
        from reconciliation_run where status <> 'running' order by started_at desc, id desc limit 1`);
      if (!run) return null;
      const findings = await pool.any(sql.type(findingRow)`
        select comparison, category, kind, asset, ledger_minor, other_minor, objects, detail
        from reconciliation_finding where run_id = ${run.id} order by ordinal limit ${storedFindingsMax}`);
      return {
        id: run.id,
        trigger: run.trigger,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        status: run.status,
        asOf: run.as_of,
        summary: run.summary,
        differences: run.differences_count,
        inFlight: run.in_flight_count,
        failure: run.failure,
        findings: findings.map((row): Finding => ({
          comparison: row.comparison satisfies Comparison,
          category: row.category satisfies FindingCategory,
          kind: row.kind,
          asset: row.asset,
          ledgerMinor: row.ledger_minor,
          otherMinor: row.other_minor,
          objects: row.objects,
          detail: row.detail,
        })),
      };
    },

    /**
     * The latest finished run in figures (metrics): when it finished (Unix seconds), how it ended, and its stored
     * findings counted by comparison, category and kind (kinds are a fixed set in the comparisons' code). Null before
     * the first run.
     */
    async lastRunFigures(): Promise<{
      finishedAtSeconds: number;
      status: 'clean' | 'differences' | 'failed';
      findings: { comparison: string; category: string; kind: string; count: number }[];
    } | null> {
      const run = await pool.maybeOne(sql.type(lastRunRow)`
        select id, status, extract(epoch from finished_at)::float8 as finished_at_seconds
        from reconciliation_run where status <> 'running' order by started_at desc, id desc limit 1`);
      if (!run) return null;
      const findings = await pool.any(sql.type(findingCountRow)`
        select comparison, category, kind, count(*)::int4 as count from reconciliation_finding
        where run_id = ${run.id} group by comparison, category, kind`);
      return { finishedAtSeconds: run.finished_at_seconds, status: run.status, findings: [...findings] };
    },

    /** The last block this chain's final transfers were read through, or null before the first run. */
    async chainCursor(chain: string): Promise<{ blockNumber: number; blockHash: string } | null> {
      const row = await pool.maybeOne(sql.type(cursorRow)`
        select block_number, block_hash from reconciliation_chain_cursor where chain = ${chain}`);
      return row ? { blockNumber: Number(row.block_number), blockHash: row.block_hash } : null;
    },

    /**
     * Records final transfers and moves the cursor to `through`, together; only from the cursor the caller read
     * (`fromCursor`), so two runs at once cannot both advance it. Answers false when another run moved it first.
     */
    async recordFinal(
      chain: string,
      fromCursor: number | null,
      through: { blockNumber: number; blockHash: string },
      transfers: readonly ChainTransfer[],
    ): Promise<boolean> {
      return pool.transaction(async (connection) => {
        const moved =
          fromCursor === null
            ? await connection.query(sql.type(noRows)`
                insert into reconciliation_chain_cursor (chain, block_number, block_hash)
                values (${chain}, ${through.blockNumber}, ${through.blockHash}) on conflict (chain) do nothing`)
            : await connection.query(sql.type(noRows)`
                update reconciliation_chain_cursor set block_number = ${through.blockNumber},
                  block_hash = ${through.blockHash}, updated_at = now()
                where chain = ${chain} and block_number = ${fromCursor}`);
        if (moved.rowCount !== 1) return false;
        for (let offset = 0; offset < transfers.length; offset += transferRowsMax) {
          const chunk = transfers.slice(offset, offset + transferRowsMax);
          const column = <T>(pick: (transfer: ChainTransfer) => T): T[] => chunk.map(pick);
          await connection.query(sql.type(noRows)`
            insert into reconciliation_chain_transfer (chain, tx_id, log_index, to_address, from_address,
              amount_minor, block_number)
            select ${chain}, * from unnest(${sql.array(
              column((t) => t.txId),
              'text',
            )},
              ${sql.array(
                column((t) => t.logIndex),
                'int4',
              )}, ${sql.array(
                column((t) => t.toHex41),
                'text',
              )},
              ${sql.array(
                column((t) => t.fromHex41),
                'text',
              )}, ${sql.array(
                column((t) => t.amountMinor),
                'int8',
              )},
              ${sql.array(
                column((t) => t.blockNumber),
                'int8',
              )})
            on conflict do nothing`);
        }
        return true;
      });
    },

    /** Recorded final transfers of a chain, after the (txId, logIndex) given, in that order. */
    async finalTransfersAfter(
      chain: string,
      after: { txId: string; logIndex: number },
      limit: number,
    ): Promise<ChainTransfer[]> {
      const rows = await pool.any(sql.type(transferRow)`
        select tx_id, log_index, to_address, from_address, amount_minor, block_number
        from reconciliation_chain_transfer
        where chain = ${chain} and (tx_id, log_index) > (${after.txId}, ${after.logIndex})
        order by tx_id, log_index limit ${Math.max(1, Math.min(limit, transferRowsMax))}`);
      return rows.map((row) => ({
        txId: row.tx_id,
        logIndex: row.log_index,
        toHex41: row.to_address,
        fromHex41: row.from_address,
        amountMinor: row.amount_minor,
        blockNumber: Number(row.block_number),
      }));
    },
  };
}

export type ReconciliationStore = ReturnType<typeof createReconciliationStore>;
