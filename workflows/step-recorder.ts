import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../src/domain/failures';
import type { StepName, StepResult } from '../src/domain/report';
import { forStep } from './proxies';

/**
 * Runs each step, timing it and recording its verdict; the step's activities carry its name (`on`).
 * A step whose result has problems fails with a VerificationFailed ApplicationFailure
 * (non-retryable: the evidence will not change).
 */
export class StepRecorder {
  readonly steps: StepResult[] = [];
  current: StepName | 'starting' | 'done' = 'starting';

  async run<T>(
    name: StepName,
    fn: (on: <A extends object>(activities: A) => A) => Promise<T>,
    summarize: (r: T) => string,
    problems: (r: T) => string[] = () => [],
  ): Promise<T> {
    this.current = name;
    const start = Date.now();
    const startedAt = new Date(start).toISOString();
    let result: T;
    try {
      result = await fn((activities) => forStep(activities, name));
    } catch (e) {
      // An activity's failure is in its cause: an ApplicationFailure's type, or a TimeoutFailure's name
      // (the step timed out waiting), which is what the exit code is told from.
      type Failure = { type?: string; name?: string; message?: string };
      const f = e as Failure & { cause?: Failure };
      const cause = f.cause ?? f;
      this.steps.push({
        name,
        verdict: 'failed',
        startedAt,
        durationMs: Date.now() - start,
        summary: cause.message ?? String(e),
        error: { type: cause.type ?? cause.name ?? (e as Error).name ?? 'Error', message: cause.message ?? String(e) },
      });
      throw e;
    }
    const found = problems(result);
    const summary = summarize(result);
    if (found.length > 0) {
      const message = `${name}: ${found.join('; ')}`;
      this.steps.push({
        name,
        verdict: 'failed',
        startedAt,
        durationMs: Date.now() - start,
        summary,
        error: { type: FailureType.VerificationFailed, message },
      });
      throw ApplicationFailure.nonRetryable(message, FailureType.VerificationFailed);
    }
    this.steps.push({ name, verdict: 'passed', startedAt, durationMs: Date.now() - start, summary });
    return result;
  }

  failedStep(): StepName | undefined {
    return this.steps.find((s) => s.verdict === 'failed')?.name;
  }
}
