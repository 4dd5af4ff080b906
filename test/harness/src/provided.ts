// What the global setup hands to every test file through vitest's provide/inject.
export interface HarnessContext {
  /** URL of the maintenance database of the test PostgreSQL server. */
  readonly postgresAdminUrl: string;
  /** A database with every migration applied; test files clone it. */
  readonly templateDatabase: string;
  readonly redisUrl: string;
  readonly temporalAddress: string;
  readonly temporalNamespace: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessContext;
  }
}
