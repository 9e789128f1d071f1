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
});
