// CPU time spent by processes, read from /proc: the cost of a benchmark phase per request, by process, which stays
// meaningful on a noisy machine where throughput does not (other work shares the cores, not the per-request cost).
import { readFileSync, readdirSync } from 'node:fs';

const clockTicksPerSecond = 100;

/** The user + system CPU of one process in milliseconds, or 0 when it has gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

/** The pids of every process whose command name is `command` (e.g. redis-server). */
export function pidsNamed(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) pids.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pids;
}

/**
 * Starts a meter over named groups of processes (their pids taken now: start the phase's connections before);
 * `stop()` returns each group's CPU milliseconds since the start. A process that ended meanwhile (a pooled
 * database connection closed after its idle timeout) is left out: its last figure cannot be read any more, and
 * counting it as zero would subtract everything it had spent before the phase.
 */
export function startCpuMeter(groups: Readonly<Record<string, readonly number[]>>) {
  const startMs = Object.entries(groups).map(
    ([name, pids]) => [name, pids.map((pid) => [pid, processCpuMs(pid)] as const)] as const,
  );
  return {
    stop(): Record<string, number> {
      return Object.fromEntries(
        startMs.map(([name, started]) => [
          name,
          started.reduce((sum, [pid, ms]) => {
            const now = processCpuMs(pid);
            return now === 0 ? sum : sum + now - ms;
          }, 0),
        ]),
      );
    },
  };
}
