// Builds the Temporal worker that serves Cardgate's workflows; shared by main.ts and the tests.
import { fileURLToPath } from 'node:url';
import { Worker, type InjectedSinks, type NativeConnection } from '@temporalio/worker';
import type { Activities } from './activities/index.ts';
import { logContextInterceptor } from './log-context-interceptor.ts';
import type { OutcomeSinks, WorkflowOutcome } from './workflows/outcomes.ts';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
/** Reports each workflow's end through the outcome sink (bundled with the workflows). */
export const workflowInterceptorModules = [
  fileURLToPath(new URL('./workflows/outcome-interceptor.ts', import.meta.url)),
];

/** Told of each workflow outcome, by workflow type (main.ts: the process's metrics). */
export type OutcomeRecorder = (workflowType: string, outcome: WorkflowOutcome) => void;

/** The outcome sink, made only when the code runs the first time, never on replay (see workflows/outcomes.ts). */
export function outcomeSinks(record: OutcomeRecorder = () => undefined): InjectedSinks<OutcomeSinks> {
  return {
    outcomes: {
      record: { fn: (info, outcome) => record(info.workflowType, outcome), callDuringReplay: false },
    },
  };
}

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: Activities;
  /** A bound on concurrent activity executions of this process. */
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly recordOutcome?: OutcomeRecorder;
}

export function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath,
    activities: options.activities,
    interceptors: { activity: [logContextInterceptor], workflowModules: workflowInterceptorModules },
    sinks: outcomeSinks(options.recordOutcome),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
  });
}
