import { describe, expect, it } from 'vitest';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { placementOf, placementPlan } from '../../src/domain/placement';

describe('the placement experiment', () => {
  it('by default: two trials per placement, each placement on its own lab and ports, with the link cut and the Connect kill', () => {
    const plan = placementPlan();
    expect(plan.map((p) => [p.label, p.input.connectPlacement, p.input.labId, p.input.portOffset])).toEqual([
      ['downstream-1', 'downstream', 'exp-downstream', 0],
      ['downstream-2', 'downstream', 'exp-downstream', 0],
      ['upstream-1', 'upstream', 'exp-upstream', 100],
      ['upstream-2', 'upstream', 'exp-upstream', 100],
    ]);
    for (const p of plan) {
      expect(p.input.faults?.inject).toEqual([
        { kind: 'link-cut', durationSeconds: 30 },
        { kind: 'connect-kill', durationSeconds: 15 },
      ]);
      expect(isInputProblem(resolveDrillInput(p.input))).toBe(false);
    }
  });

  it("keeps the user's faults and drill input, from the lab id and port offset given as bases", () => {
    const plan = placementPlan({
      trials: 1,
      drill: { labId: 'pl', portOffset: 1800, rate: 300, faults: { inject: [{ kind: 'link-cut' }] } },
    });
    expect(plan.map((p) => [p.label, p.input.labId, p.input.portOffset, p.input.rate, p.input.faults?.inject])).toEqual([
      ['downstream-1', 'pl-downstream', 1800, 300, [{ kind: 'link-cut' }]],
      ['upstream-1', 'pl-upstream', 1900, 300, [{ kind: 'link-cut' }]],
    ]);
    expect(placementOf('upstream-2')).toEqual({ placement: 'upstream', trial: 2 });
  });

  it('runs every placement and trial once per standing WAN latency, each placement keeping its lab', () => {
    const plan = placementPlan({ trials: 1, wanLatencies: ['0ms', '50ms'] });
    expect(plan.map((p) => [p.label, p.input.labId, p.input.wanLatency])).toEqual([
      ['downstream@0ms-1', 'exp-downstream', '0ms'],
      ['upstream@0ms-1', 'exp-upstream', '0ms'],
      ['downstream@50ms-1', 'exp-downstream', '50ms'],
      ['upstream@50ms-1', 'exp-upstream', '50ms'],
    ]);
    expect(placementOf('upstream@50ms-1')).toEqual({ placement: 'upstream@50ms', trial: 1 });
  });
});
