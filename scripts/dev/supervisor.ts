// Keeps one process of `npm run dev` running: when it dies, says so in one line and starts it again, the same way
// (same command, environment and ports), after the restart policy's delay; when it keeps crashing, gives up and asks
// for everything to stop.
//
// Hand-written rather than a process manager from npm: pm2 runs a daemon that keeps its state in the home directory
// and outlives the terminal, while `npm run dev` is one foreground command whose Ctrl-C stops everything;
// concurrently (10.x) restarts only by a total count of tries with a delay of 2^N seconds that has no cap and no time
// window, starts everything at once (the stand-ins must answer before the services start), and runs shell commands,
// not the Temporal dev server on its state file. What is needed is about a hundred lines here.
import { setTimeout as sleep } from 'node:timers/promises';
import { createRestartPolicy, defaultRestartPolicy, type RestartPolicyOptions } from './restart-policy.ts';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One running instance of a supervised process. */
export interface ProcessHandle {
  readonly pid: number | undefined;
  readonly exited: Promise<ExitStatus>;
  /** Asks it to stop (SIGTERM, then SIGKILL after a grace period) and waits until it has exited. */
  readonly stop: () => Promise<void>;
  /** Kills it at once (a second Ctrl-C). */
  readonly kill: () => void;
}

export interface SupervisedProcessDefinition {
  readonly name: string;
  /** Starts a new instance; resolves once it is started (for the Temporal server: once it answers). */
  readonly start: () => Promise<ProcessHandle>;
  /** Resolves once a started instance is ready (its health check answers); rejects when it is not in time. */
  readonly waitReady: (handle: ProcessHandle) => Promise<void>;
}

export interface SupervisorOptions {
  readonly say: (line: string) => void;
  /** Called once when a process keeps crashing (or exits in a way a restart cannot mend): stop everything. */
  readonly onGiveUp: () => void;
  /** Called after every start, first or restart, with the new pid (the dev state file lists the live pids). */
  readonly onStarted?: (name: string, pid: number | undefined) => void;
  readonly policy?: RestartPolicyOptions;
  readonly now?: () => number;
}

export interface SupervisedProcess {
  readonly name: string;
  readonly ready: Promise<void>;
  readonly pid: () => number | undefined;
  readonly stop: () => Promise<void>;
  readonly kill: () => void;
}

/** Exit codes after which a restart cannot help: 78 is EX_CONFIG (the process refused its configuration). */
const permanentExitCodes = new Set([78]);

export function describeExit(status: ExitStatus): string {
  return status.signal !== null ? `signal ${status.signal}` : `code ${String(status.code)}`;
}

/**
 * Starts the process and keeps it running until `stop`. Returns at once, so a stop that comes during start-up finds
 * it; `ready` settles when the first instance is ready (and rejects, after stopping it, when it is not).
 */
export function superviseProcess(
  definition: SupervisedProcessDefinition,
  options: SupervisorOptions,
): SupervisedProcess {
  const policy = createRestartPolicy(options.policy ?? defaultRestartPolicy);
  const now = options.now ?? Date.now;
  const restartAbort = new AbortController();
  let stopping = false;
  let current: ProcessHandle | undefined;
  let launching: Promise<ProcessHandle> | undefined;

  const launch = async (): Promise<ProcessHandle> => {
    launching = definition.start();
    const handle = await launching.finally(() => (launching = undefined));
    current = handle;
    options.onStarted?.(definition.name, handle.pid);
    void handle.exited.then((status) => {
      if (current === handle) void onExit(status);
    });
    // A stop that came while it was starting: nothing else would stop this instance.
    if (stopping) await handle.stop();
    return handle;
  };

  // Each crash leads to at most one pending restart, and the policy's budget bounds how many crashes are restarted.
  const onExit = async (status: ExitStatus): Promise<void> => {
    if (stopping) return;
    if (status.code !== null && permanentExitCodes.has(status.code)) {
      options.say(
        `${definition.name} exited (${describeExit(status)}); a restart cannot mend that; stopping everything`,
      );
      options.onGiveUp();
      return;
    }
    const decision = policy.onCrash(now());
    if (decision.action === 'give-up') {
      const windowSeconds = (options.policy ?? defaultRestartPolicy).windowMs / 1_000;
      options.say(
        `${definition.name} exited (${describeExit(status)}), crash ${decision.crashesInWindow} within ${windowSeconds} s; it keeps crashing, stopping everything`,
      );
      options.onGiveUp();
      return;
    }
    options.say(
      `${definition.name} exited (${describeExit(status)}); restarting in ${decision.delayMs / 1_000} s (restart ${decision.restart})`,
    );
    try {
      await sleep(decision.delayMs, undefined, { signal: restartAbort.signal });
    } catch {
      return; // stopped while waiting
    }
    if (stopping) return;
    let handle: ProcessHandle;
    try {
      handle = await launch();
    } catch (error) {
      // A start that fails is a crash like any other: the policy decides again.
      options.say(`${definition.name} did not start: ${(error as Error).message}`);
      void onExit({ code: null, signal: null });
      return;
    }
    definition.waitReady(handle).then(
      () => {
        if (!stopping && current === handle)
          options.say(`${definition.name} is running again (pid ${String(handle.pid)})`);
      },
      () => undefined, // not ready in time: its exit, if it comes, is handled above
    );
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    restartAbort.abort();
    await launching?.catch(() => undefined);
    await current?.stop();
  };
  const ready = launch().then(async (first) => {
    try {
      await definition.waitReady(first);
    } catch (error) {
      await stop();
      throw error;
    }
  });
  return {
    name: definition.name,
    ready,
    pid: () => current?.pid,
    stop,
    kill: () => {
      stopping = true;
      restartAbort.abort();
      current?.kill();
    },
  };
}
