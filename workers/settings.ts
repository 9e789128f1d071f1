/**
 * The standalone worker's service settings, declared once: the worker reads them through
 * `workerSettings`, `npm run worker -- --help` prints this table, and the README lists the same.
 * How to reach Temporal is not here: that is the SDK's environment configuration (see
 * src/temporal/config.ts).
 */
export const WORKER_SETTINGS = {
  LAB_TASK_QUEUE: 'the task queue to serve (default kafka-lab-v3)',
  LAB_WORKER_IDENTITY: 'the identity Temporal shows for this worker (default <pid>@<host>)',
  LAB_WORKER_HEALTH_PORT: 'serve /healthz and /readyz on this port (unset: no endpoint)',
  LAB_WORKER_HEALTH_HOST: 'the address the health endpoint binds (default 127.0.0.1; 0.0.0.0 in a container)',
  LAB_WORKER_METRICS_ADDRESS: "the SDK's Prometheus /metrics endpoint, host:port (e.g. 0.0.0.0:9464; unset: none)",
  LAB_WORKER_SHUTDOWN_GRACE: 'on SIGTERM/SIGINT, how long running activities may finish before they are cancelled (default 30s)',
  LAB_LOG_LEVEL: 'worker and core SDK log level, on stderr (default WARN)',
} as const;

export interface WorkerSettings {
  identity?: string;
  health?: { host: string; port: number };
  metricsAddress?: string;
  shutdownGrace: string;
}

const HOST_PORT = /^[^\s:]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i;
const DURATION = /^\d+(ms|s|m)$/;

/** Parses the settings; a malformed one is an error naming the variable (thrown as `invalid`). */
export function workerSettings(env: NodeJS.ProcessEnv, invalid: (problem: string) => Error): WorkerSettings {
  const port = env.LAB_WORKER_HEALTH_PORT;
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536)) {
    throw invalid(`LAB_WORKER_HEALTH_PORT=${port} is not a port number`);
  }
  const metrics = env.LAB_WORKER_METRICS_ADDRESS;
  if (metrics !== undefined && !HOST_PORT.test(metrics)) throw invalid(`LAB_WORKER_METRICS_ADDRESS=${metrics} is not host:port`);
  const grace = env.LAB_WORKER_SHUTDOWN_GRACE ?? '30s';
  if (!DURATION.test(grace)) throw invalid(`LAB_WORKER_SHUTDOWN_GRACE=${grace} is not a duration like 30s`);
  return {
    ...(env.LAB_WORKER_IDENTITY ? { identity: env.LAB_WORKER_IDENTITY } : {}),
    ...(port ? { health: { host: env.LAB_WORKER_HEALTH_HOST ?? '127.0.0.1', port: Number(port) } } : {}),
    ...(metrics ? { metricsAddress: metrics } : {}),
    shutdownGrace: grace,
  };
}
