/** A background loop started with `repeatEvery`. */
export interface Periodic {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` again `intervalMs()` after each run ends (never two at once), until stopped. The interval
 * is read every time, so a refreshed setting applies at the next run. `run` handles its own errors.
 */
export function repeatEvery(intervalMs: () => number, run: () => Promise<void>): Periodic {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs());
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** A background loop that sleeps while it knows of no work; `wake` runs it at once. */
export interface IdleLoop extends Periodic {
  /** Work has appeared (an event, a hint): run now, or right after the pass in progress. */
  wake(): void;
}

export interface IdleLoopOptions {
  /** The pace while there is work, and the shortest wait between two passes. */
  busyMs: () => number;
  /** The wait while a pass knows of no work: only work that nothing announces waits this long. */
  idleMs: () => number;
  /**
   * One pass (it handles its own errors). It answers in how many ms its earliest known work is due:
   * 0 when it did work or more is due now, undefined when it knows of none.
   */
  run: () => Promise<number | undefined>;
}

/**
 * Runs `run` in a loop that follows the work: at `busyMs` while there is some, until the next known
 * due time when there is one, `idleMs` when there is none, and at once on `wake()`. Every source of
 * new work must wake it or be a due time a pass can see: otherwise that work waits up to idleMs.
 */
export function repeatWhileBusy(options: IdleLoopOptions): IdleLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  const pass = () => {
    clearTimeout(timer);
    wokenWhileRunning = false;
    running = options
      .run()
      .then(
        (dueMs) => dueMs,
        () => 0,
      )
      .then((dueMs) => {
        running = undefined;
        if (wokenWhileRunning) return schedule(0);
        const busy = options.busyMs();
        schedule(dueMs === undefined ? options.idleMs() : Math.min(Math.max(dueMs, busy), options.idleMs()));
      });
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(pass, delayMs);
    timer.unref();
  };
  schedule(0);
  return {
    wake() {
      if (stopped) return;
      if (running) wokenWhileRunning = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
