import { describe, expect, it } from 'vitest';
import { CatchUp } from '../../src/domain/catch-up';

describe('CatchUp', () => {
  it('counts the backlog held back by the fault, and how long after the undo its last record arrived', () => {
    const c = new CatchUp(10_000);
    c.add(1_000, 2_000); // arrived during the fault window's lead-in: no backlog
    c.add(8_000, 12_000);
    c.add(9_500, 14_000);
    c.add(11_000, 11_500); // produced after the undo: not the backlog
    expect(c.figures()).toEqual({ backlog: 2, seconds: 4, perSecond: 1 });
  });

  it('resumes from its saved state, and reports nothing held back as zero', () => {
    const c = new CatchUp(10_000);
    c.add(9_000, 10_500);
    const resumed = new CatchUp(10_000, c.toJSON());
    resumed.add(9_900, 12_000);
    expect(resumed.figures()).toEqual({ backlog: 2, seconds: 2, perSecond: 1 });
    expect(new CatchUp(10_000).figures()).toEqual({ backlog: 0, seconds: 0, perSecond: 0 });
  });
});
