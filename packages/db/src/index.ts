export * from './pool.ts';
export * from './migrations.ts';
export * from './type-parsers.ts';
export { sql, type FragmentSqlToken } from 'slonik';
export * from './health.ts';
