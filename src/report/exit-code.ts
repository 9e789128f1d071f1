import type { DrillReport } from '../domain/report';
import { ExitCode, exitCodeForFailure } from '../errors';

/** 0 when the drill passed; otherwise what its failed step's failure means (1, 2 or 3). */
export function reportExitCode(r: DrillReport): ExitCode {
  if (r.verdict === 'passed') return ExitCode.Ok;
  return exitCodeForFailure(r.steps.find((s) => s.name === r.failedStep)?.error?.type);
}
