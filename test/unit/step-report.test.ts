import { describe, expect, it } from 'vitest';
import type { VerifyOutput } from '../../src/contracts/verify';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { drillReport, faultsFound, type Finding, type ReportFrame } from '../../src/drill/step-report';

const config = resolveDrillInput({ failover: true });
if (isInputProblem(config)) throw new Error(config.problem);
const frame: ReportFrame = {
  drillId: 'd',
  runId: 'r1',
  config,
  steps: [],
  startedAt: 's',
  finishedAt: 'f',
  verdict: 'passed',
};
const verified = (produced: number, extra: Partial<VerifyOutput> = {}) =>
  ({
    accounting: { produced },
    latency: { available: true },
    consumer1Lag: 0,
    memory: { stateBytes: 1, peakRssMiB: 2 },
    resumed: 0,
    problems: [],
    ...extra,
  }) as unknown as VerifyOutput;

describe('the report assembled from what the steps found', () => {
  it('has no step figures before any step found something', () => {
    expect(drillReport(frame, [])).toEqual({ ...frame, metrics: [] });
  });

  it('lists faults in scheduled order, with the end of those undone', () => {
    const found: Finding[] = [
      { step: 'connect-kill', found: { scheduled: 1, applied: { kind: 'connect-kill', targets: ['c'], at: 3 } } },
      {
        step: 'link-cut',
        found: { scheduled: 0, applied: { kind: 'link-cut', targets: ['l'], at: 5 }, undone: { kind: 'link-cut', targets: ['l'], at: 6 } },
      },
    ];
    expect(faultsFound(found)).toEqual([
      { kind: 'link-cut', targets: ['l'], from: 5, to: 6 },
      { kind: 'connect-kill', targets: ['c'], from: 3 },
    ]);
    expect(faultsFound([])).toBeUndefined();
  });

  it('takes the schema from produce-v1 and evolve-schema, the figures from the last verification, the failover with its accounting', () => {
    const found: Finding[] = [
      { step: 'produce-v1', found: { schemaId: 7 } },
      { step: 'verify-v1', found: verified(100, { latencyByPhase: { during: {}, after: {} } as VerifyOutput['latencyByPhase'] }) },
      { step: 'failover', found: { down: { targets: ['up-kafka-1'], at: 4 }, up: { targets: [], at: 9 } } },
      { step: 'verify-failover', found: { accounting: { skipped: 0 } as never } },
      {
        step: 'evolve-schema',
        found: {
          subject: 'x',
          compatibilityLevel: 'BACKWARD',
          registryVerdict: 'compatible',
          v2Id: 8,
          versions: [1, 2],
          crossRead: { v1ReadsV2: {}, v2ReadsV1: {} },
        } as never,
      },
      { step: 'verify-v2', found: verified(200, { readOn: 3 }) },
      { step: 'check-metrics', found: [{ name: 'up', query: 'up', verdict: 'passed', observed: '', expectation: '' }] },
    ];
    const report = drillReport({ ...frame, verdict: 'failed', failedStep: 'teardown' }, found);
    expect(report.schema).toEqual({ subject: `${config.topic}-value`, versions: [1, 2], v1Id: 7, v2Id: 8, compatibility: 'BACKWARD' });
    expect(report.accounting).toEqual({ produced: 200 });
    expect(report.verifier).toEqual({ stateBytes: 1, peakRssMiB: 2, resumed: 0, readOn: 3 });
    // verify-v2 had no per-phase figures: verify-v1's stay, as before
    expect(report.latencyByPhase).toBeDefined();
    expect(report.failover).toEqual({
      group: 'consumer-1-failover-r1',
      targets: ['up-kafka-1'],
      from: 4,
      to: 9,
      accounting: { skipped: 0 },
    });
    expect(report.metrics).toHaveLength(1);
    // the order the CLI's JSON has always had
    expect(Object.keys(report)).toEqual([
      'drillId',
      'runId',
      'verdict',
      'config',
      'steps',
      'metrics',
      'startedAt',
      'finishedAt',
      'schema',
      'accounting',
      'latency',
      'consumer1Lag',
      'verifier',
      'latencyByPhase',
      'failover',
      'failedStep',
    ]);
  });
});
