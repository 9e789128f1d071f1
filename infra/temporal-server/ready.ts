/**
 * Run by infra/temporal-server.sh start: waits until the server's frontend answers (giving up when
 * the server process, argv[2], has exited, or after 90 s), registers namespace `default` when it
 * is missing, and waits until that namespace is usable (a new namespace reaches the frontend's
 * cache a few seconds after it is registered).
 */
import { Connection } from '@temporalio/client';
import Long from 'long';
import { sleep } from '../../src/util/sleep';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7300';
const namespace = 'default';
const pid = Number(process.argv[2]);
const alive = () => {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function main() {
  const deadline = Date.now() + 90_000;
  let connection: Connection | undefined;
  while (!connection) {
    if (!alive()) throw new Error(`the server process ${pid} exited`);
    if (Date.now() > deadline) throw new Error(`no answer on ${address}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.healthService.check({});
      connection = c;
    } catch {
      await sleep(250);
    }
  }
  const known = await connection.workflowService.describeNamespace({ namespace }).then(
    () => true,
    () => false,
  );
  if (!known) {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(3 * 24 * 3600) },
      description: 'kafka-lab drills',
    });
  }
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      break;
    } catch (e) {
      if (!alive() || Date.now() > deadline) throw e;
      await sleep(250);
    }
  }
  await connection.close();
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
