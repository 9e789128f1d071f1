import { resolve } from 'node:path';
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { DrillActivities } from '../src/contracts/activities';
import { TASK_QUEUE, temporalSettings } from '../src/temporal/config';
import { drillWorkflowBundle } from '../src/temporal/workflow-bundle';

let runtimeInstalled = false;

/**
 * Worker logs go to stderr (stdout carries the CLI's JSON), at WARN unless LAB_LOG_LEVEL says
 * otherwise. The core SDK's own logs (payload size warnings among them) would go to the console,
 * stdout included; they are forwarded to the same stderr logger instead.
 */
function installRuntime(shutdownSignals: NodeJS.Signals[] | undefined, metricsAddress: string | undefined) {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.LAB_LOG_LEVEL ?? 'WARN') as LogLevel;
  // A process that already made a NativeConnection (a test, a library user) has the SDK's default
  // runtime; it cannot be replaced, and that one serves a worker as well.
  try {
    installOnce(level, shutdownSignals, metricsAddress);
  } catch (err) {
    if (!(err instanceof IllegalStateError)) throw err;
  }
}

function installOnce(level: LogLevel, shutdownSignals: NodeJS.Signals[] | undefined, metricsAddress: string | undefined) {
  Runtime.install({
    ...(shutdownSignals ? { shutdownSignals } : {}),
    telemetryOptions: {
      logging: { filter: { core: level, other: level }, forward: {} },
      // The SDK's own metrics (task latencies, slots, polls, activity failures) on /metrics.
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
    logger: new DefaultLogger(level, (entry) => {
      // Errors do not survive JSON.stringify; keep their type and message, drop the task token.
      const {
        error,
        taskToken: _token,
        ...meta
      } = (entry.meta ?? {}) as { error?: { name?: string; type?: string; message?: string }; taskToken?: unknown };
      const err = error ? ` error=${error.type ?? error.name}: ${error.message}` : '';
      process.stderr.write(
        `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message}${err} ${JSON.stringify(meta)}\n`,
      );
    }),
  });
}

export interface DrillWorkerOptions {
  taskQueue?: string;
  /**
   * The CLI handles Ctrl-C itself (it cancels the drill and keeps the worker running until the lab
   * is torn down), so the SDK must not shut the worker down on SIGINT; a standalone worker keeps
   * the SDK's graceful shutdown on SIGINT and SIGTERM.
   */
  inCli?: boolean;
  identity?: string;
  metricsAddress?: string;
  /**
   * On shutdown, how long running activities may go on before they are cancelled; a cancelled
   * activity fails as retryable with its last heartbeat kept, so another worker resumes it at
   * once instead of after its heartbeat timeout.
   */
  shutdownGrace?: string;
  /** Activities to use instead of the drill's own, by name (dependency injection: a worker with a planted fault). */
  activities?: Partial<DrillActivities>;
}

/** A worker for the drill workflows and activities, connected as temporalSettings says. */
export async function createDrillWorker(opts: DrillWorkerOptions = {}): Promise<Worker> {
  installRuntime(opts.inCli ? [] : undefined, opts.metricsAddress);
  const settings = temporalSettings();
  const connection = await NativeConnection.connect(settings.connection);
  return Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.shutdownGrace ? { shutdownGraceTime: opts.shutdownGrace as `${number}s` } : {}),
    // the runtime's logger: webpack's report stays at the worker's log level (WARN unless asked)
    workflowBundle: await drillWorkflowBundle(resolve(__dirname, '../workflows/index.ts'), Runtime.instance().logger),
    activities: { ...createActivities(), ...opts.activities },
    // Activities mostly wait on Kafka and HTTP; a handful at once is plenty on a small machine.
    maxConcurrentActivityTaskExecutions: 8,
    // Cancellation reaches an activity with a heartbeat's answer: throttle them to 5 s (not 80% of
    // the heartbeat timeout) so a cancelled drill's activities stop within seconds.
    maxHeartbeatThrottleInterval: '5s',
    defaultHeartbeatThrottleInterval: '5s',
  });
}
