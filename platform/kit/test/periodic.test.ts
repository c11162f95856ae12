import { repeatWhileBusy } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const loops: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.stop()));
});

/** A loop whose passes answer from a script (then "no work known"), counting its passes. */
function scripted(answers: Array<number | undefined>, busyMs = 10, idleMs = HOUR) {
  const passes: number[] = [];
  const loop = repeatWhileBusy({
    busyMs: () => busyMs,
    idleMs: () => idleMs,
    run: async () => {
      passes.push(passes.length);
      return answers.shift();
    },
  });
  loops.push(loop);
  return { loop, passes };
}

describe('repeatWhileBusy', () => {
  it('runs at once when woken, although it knows of no work for an hour', async () => {
    const { loop, passes } = scripted([]);
    await eventually(() => passes.length === 1);
    loop.wake();
    await eventually(() => passes.length === 2);
    loop.wake();
    await eventually(() => passes.length === 3);
  });

  it('keeps going while there is work, and comes back when known work is due', async () => {
    // Work twice, then work due in 20 ms, then none known: four passes without a wake.
    const { passes } = scripted([0, 0, 20]);
    await eventually(() => passes.length === 4);
  });

  it('runs again after the pass in progress when woken during it', async () => {
    let release: () => void = () => {};
    let passes = 0;
    const loop = repeatWhileBusy({
      busyMs: () => 10,
      idleMs: () => HOUR,
      run: async () => {
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
        return undefined;
      },
    });
    loops.push(loop);
    await eventually(() => passes === 1);
    loop.wake(); // during the first pass
    release();
    await eventually(() => passes === 2);
    expect(passes).toBe(2);
  });

  it('runs by the due time a wake names, and a wake for later than the planned pass changes nothing', async () => {
    const started = performance.now();
    const at: number[] = [];
    const loop = repeatWhileBusy({
      busyMs: () => 10,
      idleMs: () => HOUR,
      run: async () => {
        at.push(performance.now() - started);
        return undefined;
      },
    });
    loops.push(loop);
    await eventually(() => at.length === 1);
    // Work due in 150 ms, then work due in an hour: the pass runs once, after about 150 ms.
    const woken = performance.now() - started;
    loop.wake(150);
    loop.wake(HOUR);
    await eventually(() => at.length === 2);
    expect(at[1]! - woken).toBeGreaterThanOrEqual(140);
    // Work due sooner than the planned pass moves it: due now runs at once, not in an hour.
    loop.wake(HOUR);
    loop.wake(0);
    await eventually(() => at.length === 3);
  });
});
