import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../src/domain/failures';
import type { StepName, StepResult } from '../src/domain/report';
import { unplannedStep } from '../src/domain/steps';
import type { Finding, FindingOf } from '../src/drill/step-report';
import { forStep } from './proxies';

/**
 * Runs each step of the drill's plan, timing it and recording its verdict and what it found (the
 * report is assembled from those); the step's activities carry its name (`on`). A step the plan
 * does not list, or lists before one already started, is refused. A step whose result has problems
 * fails with a VerificationFailed ApplicationFailure (non-retryable: the evidence will not change).
 */
export class StepRecorder {
  readonly steps: StepResult[] = [];
  current: StepName | 'starting' | 'done' = 'starting';
  private readonly started: StepName[] = [];
  private readonly findings: (Finding | undefined)[] = [];

  constructor(readonly plan: readonly StepName[]) {}

  /** Started and not yet ended (faults run beside the load, so more than one step can be). */
  running(step: StepName): boolean {
    return this.started.includes(step) && !this.steps.some((s) => s.name === step);
  }

  /** What the steps found so far, in the order they started. */
  found(): Finding[] {
    return this.findings.filter((f) => f !== undefined);
  }

  async run<N extends StepName, T extends FindingOf<N>>(
    name: N,
    fn: (on: <A extends object>(activities: A) => A, note: (found: FindingOf<N>) => void) => Promise<T>,
    summarize: (r: T) => string,
    problems: (r: T) => string[] = () => [],
  ): Promise<T> {
    const refused = unplannedStep(this.plan, this.started, name);
    if (refused) throw ApplicationFailure.nonRetryable(refused, FailureType.Internal);
    this.started.push(name);
    const slot = this.findings.push(undefined) - 1;
    // what the step found, even if it then fails
    const note = (found: FindingOf<N>) => (this.findings[slot] = { step: name, found } as Finding);
    this.current = name;
    const start = Date.now();
    const startedAt = new Date(start).toISOString();
    let result: T;
    try {
      result = await fn((activities) => forStep(activities, name), note);
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
    note(result);
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
