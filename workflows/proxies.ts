import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { StepName } from '../src/domain/steps';
import type { DrillActivities } from '../src/contracts/activities';
import { NON_RETRYABLE_FAILURES } from '../src/domain/failures';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURES];

/**
 * Creating and removing containers: slow, heartbeating, a few attempts. A cancelled drill waits
 * until provisioning has stopped, so its teardown never races a provision still creating containers.
 */
export const labActivities = proxyActivities<DrillActivities>({
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  startToCloseTimeout: '20m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes },
});

/**
 * Talking to Kafka, Connect and the Schema Registry: quick calls, retried on transient errors.
 * A cancelled drill waits until these have stopped (they stop within a heartbeat), so its lab is
 * never torn down under an activity that still polls it.
 */
export const clusterActivities = proxyActivities<DrillActivities>({
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes },
});

/**
 * Producing: the start offsets are recorded in history first, so a retry resumes instead of
 * duplicating. A dead worker is noticed after one heartbeat timeout (heartbeats every 5 s).
 */
export function produceActivities(expectedSeconds: number) {
  return proxyActivities<DrillActivities>({
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // a rate-limited run takes messages / rate seconds; the attempt gets that and room to spare
    startToCloseTimeout: `${Math.max(900, Math.ceil(expectedSeconds * 1.5) + 300)}s`,
    heartbeatTimeout: '20s',
    // a killed broker is out for its fault's duration and then tens of seconds while it restarts
    // (longer on a busy host): about 75 s of backoff rides that out, each attempt resuming
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '15s', maximumAttempts: 8, nonRetryableErrorTypes },
  });
}

/**
 * Observing a flow waits, per partition, up to the mirror lag bound for the newest upstream
 * record's copy downstream; the attempt gets that and room to spare.
 */
export function observeActivities(boundSeconds: number) {
  return proxyActivities<DrillActivities>({
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    startToCloseTimeout: `${Math.max(300, boundSeconds + 180)}s`,
    heartbeatTimeout: '1m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes },
  });
}

/**
 * Verifying waits up to its own deadline (given in the input), then reads the index (at least
 * 5,000 documents a second) before it answers.
 */
export function verifyActivities(deadlineSeconds: number, messages: number) {
  return proxyActivities<DrillActivities>({
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    startToCloseTimeout: `${deadlineSeconds + 180 + Math.ceil(messages / 5000)}s`,
    heartbeatTimeout: '20s',
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes },
  });
}

/**
 * The same activities, each call labelled with the drill step it belongs to: the Temporal UI's
 * timeline then reads verify-v1, verify-v2 rather than verifyDelivery twice.
 */
export function forStep<T extends object>(activities: T, step: StepName): T {
  return new Proxy(activities, {
    get: (target, name) => {
      const fn = (target as Record<string | symbol, { executeWithOptions(o: ActivityOptions, args: unknown[]): Promise<unknown> }>)[name];
      return (...args: unknown[]) => fn.executeWithOptions({ summary: step } as ActivityOptions, args);
    },
  });
}
