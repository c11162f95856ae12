/**
 * Readers waiting for something keyed (an order, an order number) to change: woken in this process
 * by whoever commits the change (`changed`, after the commit), and reading again on their own at
 * least every `recheckMs`, since a change committed by another instance wakes nobody here. A wake is
 * only a hint: the reader always reads again, so a lost or early wake costs a read, never an answer.
 */
export class ChangeWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** After a commit that may have changed `key`: its readers read again now. */
  changed(key: string): void {
    const wakes = this.waiting.get(key);
    if (!wakes) return;
    this.waiting.delete(key);
    for (const wake of wakes) wake();
  }

  /**
   * Reads until `done(value)` or `waitMs` has passed, and returns the last read. It listens before
   * each read, so a change committed during a read is not missed. Stops early when `signal` aborts.
   */
  async readUntil<T>(
    key: string,
    read: () => Promise<T>,
    done: (value: T) => boolean,
    options: { waitMs: number; recheckMs: number; signal?: AbortSignal },
  ): Promise<T> {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const change = this.next(key);
      try {
        const value = await read();
        const left = deadline - Date.now();
        if (done(value) || left <= 0 || options.signal?.aborted) return value;
        await change.within(Math.min(options.recheckMs, left), options.signal);
      } finally {
        change.cancel();
      }
    }
  }

  private next(key: string) {
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const wakes = this.waiting.get(key) ?? new Set();
    this.waiting.set(key, wakes);
    wakes.add(wake);
    let timer: NodeJS.Timeout | undefined;
    let stop: (() => void) | undefined;
    let stopSignal: AbortSignal | undefined;
    return {
      within: (ms: number, signal?: AbortSignal) =>
        Promise.race([
          changed,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, ms);
            stop = () => resolve();
            stopSignal = signal;
            signal?.addEventListener('abort', stop, { once: true });
          }),
        ]),
      cancel: () => {
        clearTimeout(timer);
        if (stop) stopSignal?.removeEventListener('abort', stop);
        const current = this.waiting.get(key);
        current?.delete(wake);
        if (current?.size === 0) this.waiting.delete(key);
      },
    };
  }
}
