// The one factory for database pools: every pool gets Cardgate's type parsers and explicit timeouts.
import { createPool, type DatabasePool } from 'slonik';
import { createCardgateTypeParsers } from './type-parsers.ts';

export type { DatabasePool, DatabaseTransactionConnection, CommonQueryMethods } from 'slonik';

export interface CreateDatabasePoolOptions {
  readonly connectionUri: string;
  readonly maxPoolSize?: number;
  readonly statementTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  readonly applicationName?: string;
}

export async function createDatabasePool(options: CreateDatabasePoolOptions): Promise<DatabasePool> {
  const uri = withApplicationName(options.connectionUri, options.applicationName ?? 'cardgate');
  return createPool(uri, {
    typeParsers: createCardgateTypeParsers(),
    maxPoolSize: options.maxPoolSize ?? 10,
    statementTimeout: options.statementTimeoutMs ?? 30_000,
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    idleTimeout: 10_000,
    // Transactions retry inside the owning module (the ledger bounds and classifies its own retries);
    // a silent library-level retry would hide how often it happens.
    transactionRetryLimit: 0,
    queryRetryLimit: 0,
    captureStackTrace: false,
    // slonik's default runs DISCARD ALL whenever a connection goes back to the pool: a round trip after every query
    // and transaction, and it drops the cached plans of the ledger's PL/pgSQL functions, which then parse and plan
    // every statement again on every batch. Cardgate keeps no session state on pooled connections (transaction
    // settings are `set transaction` or SET LOCAL; advisory locks live on dedicated clients): nothing to reset.
    resetConnection: async () => undefined,
  });
}

function withApplicationName(uri: string, applicationName: string): string {
  const url = new URL(uri);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', applicationName);
  return url.toString();
}
