import type { DrillSeriesResult, DrillSeriesRun } from '../domain/drill-series';
import { ExitCode, exitCodeForFailure } from '../errors';
import { reportExitCode } from './exit-code';
import { reportJson } from './render-text';

/**
 * A run's exit code: its report's (0, or 1 to 3 by its failed step), or, when it ended without a
 * report, what its failure means; a run that ended without a verdict is never a failed verdict.
 */
export function runExitCode(r: DrillSeriesRun): ExitCode {
  if (r.report) return reportExitCode(r.report);
  const code = exitCodeForFailure(r.error?.type);
  return code === ExitCode.VerdictFailed ? ExitCode.Internal : code;
}

/**
 * A series' exit code: 2, 3 or 4 from the first run that could not run; else 0 when every run
 * passed, 1 when a verdict failed, or 0 when failed verdicts are the findings (an experiment).
 */
export function seriesExitCode(s: Pick<DrillSeriesResult, 'runs' | 'verdict'>, opts: { verdictsAreFindings?: boolean } = {}): ExitCode {
  const notRun = s.runs.map(runExitCode).find((c) => c !== ExitCode.Ok && c !== ExitCode.VerdictFailed);
  if (notRun !== undefined) return notRun;
  return s.verdict === 'passed' || opts.verdictsAreFindings ? ExitCode.Ok : ExitCode.VerdictFailed;
}

/** The --json document of a series: its result, each run's report as `lab drill --json` gives it. */
export function seriesJson(s: DrillSeriesResult, extra: Record<string, unknown> = {}) {
  return {
    kind: s.kind,
    verdict: s.verdict,
    ...extra,
    runs: s.runs.map((r) => ({
      label: r.label,
      workflowId: r.workflowId,
      verdict: r.verdict,
      input: r.input,
      ...(r.error ? { error: r.error } : {}),
      ...(r.report ? { report: reportJson(r.report) } : {}),
    })),
  };
}
