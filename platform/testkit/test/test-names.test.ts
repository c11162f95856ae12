import { describe, expect, it } from 'vitest';
import { isDroppable, runStamp, uniqueName } from '../src/test-names.ts';

// A run sharing a real PostgreSQL with others clears up its own test databases and abandoned ones,
// never those of a run still going.
describe('test database names', () => {
  const HOUR = 3_600_000;
  const stamped = (msAgo: number) =>
    `t_shop_${Math.floor((Date.now() - msAgo) / 1_000).toString(36)}_0123abcd`;

  it("drops this run's databases, unstamped ones and those of runs over six hours old", () => {
    expect(isDroppable(uniqueName('t_shop'))).toBe(true);
    expect(uniqueName('t_bus')).toContain(`_${runStamp()}_`);
    expect(isDroppable('t_db_0123456789')).toBe(true);
    expect(isDroppable(stamped(7 * HOUR))).toBe(true);
  });

  it("keeps another run's databases while that run may still be going", () => {
    const other = stamped(HOUR);
    expect(other).not.toContain(`_${runStamp()}_`);
    expect(isDroppable(other)).toBe(false);
  });
});
