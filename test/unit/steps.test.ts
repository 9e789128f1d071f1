import { describe, expect, it } from 'vitest';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { plannedSteps, stepStartActivities, unplannedStep, type StepName } from '../../src/domain/steps';
import type { DrillInput } from '../../src/domain/drill-input';

const planOf = (input: DrillInput) => {
  const c = resolveDrillInput(input);
  if (isInputProblem(c)) throw new Error(c.problem);
  return plannedSteps(c);
};

describe('the drill plan', () => {
  it('lists the faults during the load after produce-v1, in the order of their schedule (as given, whenever each starts), then the loss fault', () => {
    const plan = planOf({
      faults: {
        inject: [
          { kind: 'link-cut', afterSeconds: 20 },
          { kind: 'connect-kill', afterSeconds: 0 },
        ],
        deleteMirroredRecords: 2,
      },
    });
    expect(plan.slice(plan.indexOf('produce-v1'), plan.indexOf('verify-v1'))).toEqual([
      'produce-v1',
      'link-cut',
      'connect-kill',
      'inject-fault',
    ]);
  });

  it('finds a step in history by the activity it starts with (either one for provision)', () => {
    expect(stepStartActivities('provision')).toEqual(['provisionDrillLab', 'attachTarget']);
    expect(stepStartActivities('produce-v2')).toEqual(['recordProduceStart']);
    expect(stepStartActivities('failover')).toEqual(['dataCenterDown']);
  });
});

describe('a step the plan does not allow', () => {
  const plan = planOf({
    faults: {
      inject: [
        { kind: 'link-cut', afterSeconds: 20 },
        { kind: 'connect-kill', afterSeconds: 0 },
      ],
    },
  });
  const upTo = (step: StepName) => plan.slice(0, plan.indexOf(step));

  it('runs each planned step in order', () => {
    for (const [i, step] of plan.entries()) expect(unplannedStep(plan, plan.slice(0, i), step)).toBeUndefined();
  });

  it('is refused when the plan does not list it, or it already ran', () => {
    expect(unplannedStep(plan, upTo('verify-v1'), 'consume-upstream')).toMatch(/not in the drill's plan/);
    expect(unplannedStep(plan, upTo('verify-v1'), 'create-topic')).toMatch(/already run/);
  });

  it('is refused after a step the plan puts later', () => {
    expect(unplannedStep(plan, [...upTo('produce-v1'), 'verify-v1'], 'produce-v1')).toMatch(/comes before verify-v1/);
  });

  it('may skip ahead (teardown right after a failure), and faults during the load start in any order', () => {
    expect(unplannedStep(plan, ['provision', 'create-topic'], 'teardown')).toBeUndefined();
    expect(unplannedStep(plan, [...upTo('link-cut'), 'connect-kill'], 'link-cut')).toBeUndefined();
  });
});
