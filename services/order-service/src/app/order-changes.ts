/**
 * Wakes the long-polling readers of an order (GET /api/orders/:id?whileStatus=…) when this process
 * has committed something that may have changed it. Only a hint: a reader always reads the order
 * again, and also looks every `recheckMs` on its own, since a change committed by another instance
 * (or by a path that does not call `changed`) wakes nobody here.
 */
export class OrderChanges {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** After a commit that may have changed the order. */
  changed(orderId: string): void {
    const wakes = this.waiting.get(orderId);
    if (!wakes) return;
    this.waiting.delete(orderId);
    for (const wake of wakes) wake();
  }

  /**
   * Reads the order until `done(order)` or `waitMs` has passed, and returns the last read. It reads
   * again at each change this process commits and at least every `recheckMs`; it listens before each
   * read, so a change committed during a read is not missed. Stops early when `signal` aborts.
   */
  async readUntil<T>(
    orderId: string,
    read: () => Promise<T>,
    done: (order: T) => boolean,
    options: { waitMs: number; recheckMs: number; signal?: AbortSignal },
  ): Promise<T> {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const change = this.next(orderId);
      try {
        const order = await read();
        const left = deadline - Date.now();
        if (done(order) || left <= 0 || options.signal?.aborted) return order;
        await change.within(Math.min(options.recheckMs, left), options.signal);
      } finally {
        change.cancel();
      }
    }
  }

  private next(orderId: string) {
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const wakes = this.waiting.get(orderId) ?? new Set();
    this.waiting.set(orderId, wakes);
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
        const current = this.waiting.get(orderId);
        current?.delete(wake);
        if (current?.size === 0) this.waiting.delete(orderId);
      },
    };
  }
}
