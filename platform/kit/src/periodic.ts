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

/**
 * A pass's answer from a database's "milliseconds until the earliest due time" (null: nothing is due
 * at all; a negative value: due now), as `repeatWhileBusy` wants it.
 */
export function dueIn(ms: number | string | null | undefined): number | undefined {
  return ms === null || ms === undefined ? undefined : Math.max(0, Math.ceil(Number(ms)));
}

/** A background loop that sleeps while it knows of no work; `wake` runs it when work comes due. */
export interface IdleLoop extends Periodic {
  /**
   * Work has appeared that comes due in `dueInMs` (0: now): the next pass runs no later than then,
   * right after the pass in progress at the soonest. A wake for later than the pass already
   * planned changes nothing, so waking once per written row stays cheap under load.
   */
  wake(dueInMs?: number): void;
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
 * due time when there is one, `idleMs` when there is none, and by the due time a `wake` names. Every
 * source of new work must wake it or be a due time a pass can see: otherwise that work waits up to
 * idleMs.
 */
export function repeatWhileBusy(options: IdleLoopOptions): IdleLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  /** When the planned pass runs (performance.now()). */
  let plannedAt = Number.POSITIVE_INFINITY;
  /** The earliest due time a wake named while a pass ran: the pass after it runs no later. */
  let wokenFor = Number.POSITIVE_INFINITY;
  const pass = () => {
    clearTimeout(timer);
    plannedAt = Number.POSITIVE_INFINITY;
    wokenFor = Number.POSITIVE_INFINITY;
    running = options
      .run()
      .then(
        (dueMs) => dueMs,
        () => 0,
      )
      .then((dueMs) => {
        running = undefined;
        const busy = options.busyMs();
        const planned =
          dueMs === undefined ? options.idleMs() : Math.min(Math.max(dueMs, busy), options.idleMs());
        schedule(Math.min(planned, Math.max(0, wokenFor - performance.now())));
      });
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    plannedAt = performance.now() + delayMs;
    timer = setTimeout(pass, delayMs);
    timer.unref();
  };
  schedule(0);
  return {
    wake(dueInMs = 0) {
      if (stopped) return;
      const dueAt = performance.now() + Math.max(0, dueInMs);
      if (running) wokenFor = Math.min(wokenFor, dueAt);
      else if (dueAt < plannedAt) schedule(dueAt - performance.now());
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
