import { describe, expect, it } from 'vitest';
import type { DrillSeriesRun } from '../../src/domain/drill-series';
import type { DrillReport, StepResult } from '../../src/domain/report';
import { seriesExitCode } from '../../src/report/series';

const step = (name: StepResult['name'], type?: string): StepResult => ({
  name,
  verdict: type ? 'failed' : 'passed',
  startedAt: '',
  durationMs: 1,
  summary: '',
  ...(type ? { error: { type, message: 'x' } } : {}),
});
const run = (label: string, failedAt?: [StepResult['name'], string], error?: string): DrillSeriesRun => ({
  label,
  input: {},
  workflowId: `p-${label}`,
  verdict: failedAt || error ? 'failed' : 'passed',
  ...(error ? { error: { type: error, message: 'x' } } : {}),
  ...(error
    ? {}
    : {
        report: {
          verdict: failedAt ? 'failed' : 'passed',
          ...(failedAt ? { failedStep: failedAt[0] } : {}),
          steps: [
            step('provision', failedAt?.[0] === 'provision' ? failedAt[1] : undefined),
            ...(failedAt?.[0] === 'verify-v1' ? [step('verify-v1', failedAt[1])] : []),
          ],
        } as DrillReport,
      }),
});
const series = (...runs: DrillSeriesRun[]) => ({ runs, verdict: runs.every((r) => r.verdict === 'passed') ? 'passed' : 'failed' }) as const;

describe('a drill series exit code', () => {
  it('is 0 when every run passed, 1 when a verdict failed, and 0 then for an experiment (its failures are findings)', () => {
    expect(seriesExitCode(series(run('a'), run('b')))).toBe(0);
    const lost = series(run('a'), run('b', ['verify-v1', 'VerificationFailed']));
    expect(seriesExitCode(lost)).toBe(1);
    expect(seriesExitCode(lost, { verdictsAreFindings: true })).toBe(0);
  });

  it('is what the first run that could not run says: 3 for a lab that did not come up, 4 for a drill that ended without a report', () => {
    const unhealthy = series(run('a', ['verify-v1', 'VerificationFailed']), run('b', ['provision', 'ComponentUnhealthy']));
    expect(seriesExitCode(unhealthy)).toBe(3);
    expect(seriesExitCode(unhealthy, { verdictsAreFindings: true })).toBe(3);
    expect(seriesExitCode(series(run('a'), run('b', undefined, 'TypeError')), { verdictsAreFindings: true })).toBe(4);
    // a drill that timed out waiting: a service (or a wait for one), not a bug
    expect(seriesExitCode(series(run('a'), run('b', undefined, 'TimeoutFailure')), { verdictsAreFindings: true })).toBe(3);
  });
});
