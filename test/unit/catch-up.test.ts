import { describe, expect, it } from 'vitest';
import { CatchUp, keepsUpProblem } from '../../src/domain/catch-up';

describe('CatchUp', () => {
  it('counts the backlog held back by the fault, and how long after the undo its last record arrived', () => {
    const c = new CatchUp(10_000);
    c.add(0, 1_000, 2_000); // arrived during the fault window's lead-in: no backlog
    c.add(0, 8_000, 12_000);
    c.add(0, 9_500, 14_000);
    c.add(0, 11_000, 11_500); // produced after the undo: not the backlog
    expect(c.figures()).toEqual({ backlog: 2, seconds: 4, perSecond: 1, drainPerSecond: 1 });
  });

  it('resumes from its saved state, and reports nothing held back as zero', () => {
    const c = new CatchUp(10_000);
    c.add(0, 9_000, 10_500);
    const resumed = new CatchUp(10_000, c.toJSON());
    resumed.add(0, 9_900, 12_000);
    expect(resumed.figures()).toEqual({ backlog: 2, seconds: 2, perSecond: 1, drainPerSecond: 1 });
    expect(new CatchUp(10_000).figures()).toEqual({ backlog: 0, seconds: 0, perSecond: 0 });
  });

  it('judges the mirror by the rate it drained the backlog once it moved again, not by its restart', () => {
    // a 10 s fault at 500 msg/s; the Connect worker needs 20 s to start, then drains in 2 s
    const restarted = new CatchUp(10_000);
    // (its three tasks resume 5 s apart, each draining its partition in 2 s)
    for (let i = 0; i < 5000; i++) restarted.add(i % 3, i * 2, 30_000 + (i % 3) * 5000 + (i * 2000) / 5000);
    expect(restarted.figures().drainPerSecond).toBeGreaterThan(2000);
    expect(keepsUpProblem(restarted.figures(), 500)).toBeUndefined();
    // a mirror throttled to 200 msg/s never catches up with a load of 500
    const throttled = new CatchUp(10_000);
    for (let i = 0; i < 5000; i++) throttled.add(i % 3, i * 2, 10_500 + i * 5);
    expect(keepsUpProblem(throttled.figures(), 500)).toBe(
      "the mirror drained the faults' backlog of 5000 records at 200 msg/s, below the load's 500 msg/s: it cannot keep up",
    );
    // too little held back to tell
    const small = new CatchUp(10_000);
    for (let i = 0; i < 100; i++) small.add(0, 9_000 + i, 10_500 + i * 50);
    expect(keepsUpProblem(small.figures(), 500)).toBeUndefined();
  });

  /**
   * A mirror moving `capacity` msg/s in order, in bursts of `burst` records (a thin link delivers a
   * whole fetch at once), behind a load of 500 msg/s for 40 s; the link is cut from 5 to 10 s.
   */
  const mirrorOf = (capacity: number, burst = 1) => {
    const c = new CatchUp(10_000);
    let free = 0;
    const pending: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) {
      const produced = i * 2;
      // it moves a record once the link is up and it is done with the ones before
      free = Math.max(free, produced < 10_000 && produced >= 5_000 ? 10_000 : produced) + 1000 / capacity;
      pending.push([i % 3, produced]);
      if (pending.length === burst || i === 19_999) {
        for (const [partition, p] of pending) c.add(partition, p, free + 20);
        pending.length = 0;
      }
    }
    return c.figures();
  };

  it('is not fooled by a thin link that delivers a fetch at a time: what came with the first delivery took time before the clock started', () => {
    // a whole fetch (3,000 records, all partitions) arrives at once
    expect(mirrorOf(300, 3000).drainPerSecond).toBe(300);
    expect(keepsUpProblem(mirrorOf(300, 3000), 500)).toMatch(/at 300 msg\/s, below the load's 500 msg\/s: it cannot keep up$/);
    expect(keepsUpProblem(mirrorOf(2000, 3000), 500)).toBeUndefined();
    // a partition whose backlog came almost whole in one delivery, and a straggler after it, cannot be timed
    const straggler = new CatchUp(10_000);
    for (let i = 0; i < 2000; i++) straggler.add(0, 5_000 + i, 12_000);
    straggler.add(0, 9_999, 12_400);
    expect(straggler.figures().drainPerSecond).toBeUndefined();
    expect(keepsUpProblem(straggler.figures(), 500)).toBeUndefined();
    // record by record, as on a fast link
    expect(mirrorOf(300).drainPerSecond).toBeGreaterThanOrEqual(290);
    expect(keepsUpProblem(mirrorOf(300), 500)).toMatch(/it cannot keep up$/);
    expect(keepsUpProblem(mirrorOf(2000), 500)).toBeUndefined();
  });
});
