import { describe, expect, it } from 'vitest';
import { newerReports, ProgressMeter, progressBar, progressLine, type StepProgress } from '../../src/domain/step-progress';

describe('ProgressMeter', () => {
  it('gives the rate over the last ten seconds and the time left at it', () => {
    const m = new ProgressMeter('produce-v1', 'acknowledged', 1_000_000);
    // 50,000/s for 20 s, then stalled: the rate follows the last ten seconds, not the average
    let p = m.sample(0, 0);
    for (let t = 1; t <= 20; t++) p = m.sample(t * 50_000, t * 1000);
    expect(p).toMatchObject({ perSecond: 50_000, secondsLeft: 0 });
    for (let t = 21; t <= 31; t++) p = m.sample(1_000_000, t * 1000);
    expect(p.perSecond).toBe(0);
    expect(p.secondsLeft).toBeUndefined();
    const m2 = new ProgressMeter('verify-v1', 'mirrored', 100_000);
    m2.sample(0, 0);
    for (let t = 1; t <= 30; t++) p = m2.sample(t * 1000, t * 1000, 'indexed 900');
    expect(p).toMatchObject({
      step: 'verify-v1',
      what: 'mirrored',
      done: 30_000,
      total: 100_000,
      perSecond: 1000,
      secondsLeft: 70,
      note: 'indexed 900',
    });
  });
});

describe('progressLine', () => {
  const p: StepProgress = {
    step: 'produce-v1',
    what: 'acknowledged',
    done: 412_000,
    total: 1_000_000,
    perSecond: 35_210,
    secondsLeft: 17,
    at: 1,
  };
  it('says count of total, share, rate and time left', () => {
    expect(progressLine(p)).toBe('produce-v1: 412,000 of 1,000,000 acknowledged (41%), 35,210/s, 17 s left');
    expect(progressLine({ ...p, perSecond: 0, secondsLeft: undefined, note: 'indexed 3' })).toBe(
      'produce-v1: 412,000 of 1,000,000 acknowledged (41%); indexed 3',
    );
    expect(progressLine({ ...p, secondsLeft: 600 })).toContain('10 min left');
    expect(progressBar(p, 10)).toBe('[####......]');
    expect(progressBar({ ...p, done: 2_000_000 }, 4)).toBe('[####]');
  });
  it('hands a follower each report once, oldest first', () => {
    const a = { ...p, at: 5 };
    const b = { ...p, step: 'verify-v1' as const, at: 3 };
    expect(newerReports([a, b], 0)).toEqual([b, a]);
    expect(newerReports([a, b], 3)).toEqual([a]);
    expect(newerReports(undefined, 0)).toEqual([]);
  });
});
