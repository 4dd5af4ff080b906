// The workflow bundle's entry: every workflow the worker serves. Only deterministic code may be imported here.
export * from './health-check.workflow.ts';
export * from './deposit.workflow.ts';
export * from './card-issue.workflow.ts';
export * from './card-load.workflow.ts';
export * from './card-transaction.workflow.ts';
export * from './card-state.workflow.ts';
export * from './reconciliation.workflow.ts';
export * from './card-load-sweep.workflow.ts';
