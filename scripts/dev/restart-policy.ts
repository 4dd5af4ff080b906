// When `npm run dev` restarts a process that died, and when it gives up: the delay doubles with every crash still
// inside the window (0.5 s, 1 s, 2 s, ... up to the cap), and more than `crashesMax` crashes inside the window mean the
// process keeps crashing, so restarting it again would only hide the fault.

export interface RestartPolicyOptions {
  readonly delayMsMin: number;
  readonly delayMsMax: number;
  readonly crashesMax: number;
  readonly windowMs: number;
}

export const defaultRestartPolicy: RestartPolicyOptions = {
  delayMsMin: 500,
  delayMsMax: 10_000,
  crashesMax: 5,
  windowMs: 60_000,
};

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly restart: number }
  | { readonly action: 'give-up'; readonly crashesInWindow: number };

export interface RestartPolicy {
  /** Records a crash at `nowMs` and says what to do about it. */
  readonly onCrash: (nowMs: number) => RestartDecision;
}

export function createRestartPolicy(options: RestartPolicyOptions = defaultRestartPolicy): RestartPolicy {
  if (!(options.delayMsMin > 0 && options.delayMsMax >= options.delayMsMin))
    throw new RangeError('restart delays: 0 < delayMsMin <= delayMsMax');
  if (!(Number.isInteger(options.crashesMax) && options.crashesMax >= 1 && options.windowMs > 0))
    throw new RangeError('restart budget: crashesMax >= 1 and windowMs > 0');
  // Only crashes inside the window are kept, and at most crashesMax + 1 of them: the list is bounded.
  let crashTimesMs: number[] = [];
  let restarts = 0;
  return {
    onCrash(nowMs) {
      crashTimesMs = [...crashTimesMs.filter((timeMs) => nowMs - timeMs < options.windowMs), nowMs];
      if (crashTimesMs.length > options.crashesMax)
        return { action: 'give-up', crashesInWindow: crashTimesMs.length };
      restarts += 1;
      const delayMs = Math.min(options.delayMsMax, options.delayMsMin * 2 ** (crashTimesMs.length - 1));
      return { action: 'restart', delayMs, restart: restarts };
    },
  };
}
