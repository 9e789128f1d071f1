/**
 * A standalone worker: `npm run worker`, or a long-lived service (systemd unit and container image
 * in infra/worker/). It connects as the SDK's environment configuration says (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY, TEMPORAL_PROFILE); the CLI then uses it
 * instead of starting its own when LAB_WORKER=external. Service settings: workers/settings.ts.
 */
import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import { InvalidInputError, isLabError } from '../src/errors';
import { TASK_QUEUE, temporalSettings } from '../src/temporal/config';
import { connectTemporal } from '../src/temporal/dev-server';
import { createDrillWorker } from './create-worker';
import { WORKER_SETTINGS, workerSettings } from './settings';

const say = (s: string) => process.stderr.write(`· ${s}\n`);

/**
 * /healthz: 200 while the worker is RUNNING, 503 otherwise (starting, draining after SIGTERM,
 * stopped, failed), so a supervisor restarts it and a load balancer stops counting on it.
 * /readyz: 200 when it is RUNNING and both its pollers are polling.
 */
function healthServer(worker: Worker, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const status = worker.getStatus();
    const body = {
      state: status.runState,
      taskQueue: worker.options.taskQueue,
      namespace: worker.options.namespace,
      identity: worker.options.identity,
      workflowPoller: status.workflowPollerState,
      activityPoller: status.activityPollerState,
      runningActivities: status.numInFlightActivities,
    };
    const running = status.runState === 'RUNNING';
    const ok =
      req.url === '/healthz'
        ? running
        : req.url === '/readyz'
          ? running && status.workflowPollerState === 'POLLING' && status.activityPollerState === 'POLLING'
          : undefined;
    if (ok === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new InvalidInputError(
          `the health endpoint cannot listen on ${host}:${port}: ${e.message}`,
          'free the port or set LAB_WORKER_HEALTH_PORT to another',
        ),
      ),
    );
    server.listen(port, host, () => resolve(server));
  });
}

async function main() {
  if (process.argv.includes('--help')) {
    process.stderr.write(
      `usage: npm run worker\n  Temporal: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE\n${Object.entries(
        WORKER_SETTINGS,
      )
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}\n`,
    );
    return;
  }
  const s = workerSettings(process.env, (problem) => new InvalidInputError(problem, 'see `npm run worker -- --help`'));
  // Checks address, TLS and namespace with one-line errors (and starts the dev server when nothing is configured).
  const connection = await connectTemporal(say);
  await connection.close();
  const worker = await createDrillWorker({ identity: s.identity, metricsAddress: s.metricsAddress, shutdownGrace: s.shutdownGrace });
  const health = s.health ? await healthServer(worker, s.health.host, s.health.port) : undefined;
  // The SDK's runtime shuts the worker down on these signals; this only says so.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () =>
      say(`${signal}: draining; running activities get ${s.shutdownGrace} to finish, then are cancelled and handed back`),
    );
  }
  const where = temporalSettings();
  say(
    `worker ${worker.options.identity} running on task queue ${TASK_QUEUE}, namespace ${where.namespace} at ${where.connection.address}${
      health ? `, health http://${s.health!.host}:${s.health!.port}/healthz` : ''
    }${s.metricsAddress ? `, metrics http://${s.metricsAddress}/metrics` : ''}`,
  );
  try {
    await worker.run();
  } finally {
    health?.close();
  }
  say('worker stopped');
}

main().then(
  () => process.exit(0),
  (e) => {
    if (isLabError(e)) {
      process.stderr.write(`error: ${e.oneLine()}\n`);
      process.exit(e.exitCode);
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : e}\n`);
    process.exit(3);
  },
);
