import { kafkaClient } from '../src/clients/kafka';
import { connectDocker } from '../src/docker/docker-client';
import { faultContainer, killContainer, shapeLink, startContainer } from '../src/lab/faults';
import { kafkaAccessOptions } from '../src/config/credentials';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { DeletedRecords, DeleteRecordsInput, FaultApplied, FaultStepInput } from '../src/contracts/faults';
import { TimedOutError } from '../src/errors';

/**
 * A real loss for fault drills: waits until `count` records produced since `sinceMs` have reached
 * partition 0 of the mirrored topic, then deletes them from the log (DeleteRecords). The verifier
 * must then report exactly those messages lost.
 */
export async function deleteMirroredRecords(input: DeleteRecordsInput): Promise<DeletedRecords> {
  const admin = kafkaClient(input.bootstrap, 'kafka-lab-fault', kafkaAccessOptions(input.access, 'downstream')).admin();
  await admin.connect();
  try {
    return await withHeartbeat(async (progress, signal) => {
      const [start] = (await admin.fetchTopicOffsetsByTimestamp(input.topic, input.sinceMs - 10_000)).filter((p) => p.partition === 0);
      const from = Number(
        start.offset === '-1' ? (await admin.fetchTopicOffsets(input.topic)).find((p) => p.partition === 0)!.high : start.offset,
      );
      const to = from + input.count;
      await pollUntil(
        async () => {
          const high = Number((await admin.fetchTopicOffsets(input.topic)).find((p) => p.partition === 0)!.high);
          return high >= to
            ? { done: true, value: high }
            : { done: false, detail: `${high - from} of ${input.count} records in ${input.topic}[0]` };
        },
        {
          timeoutMs: (input.timeoutSeconds ?? 120) * 1000,
          intervalMs: 500,
          signal,
          onProgress: progress,
          onTimeout: (last) => new TimedOutError(`waiting for ${input.count} records to delete`, `only ${last}`),
        },
      );
      await admin.deleteTopicRecords({ topic: input.topic, partitions: [{ partition: 0, offset: String(to) }] });
      return { partition: 0, from, to };
    });
  } finally {
    await admin.disconnect();
  }
}

/** Injects one fault on a provisioned lab: SIGKILLs a broker or Connect worker, or cuts or degrades the link. */
export async function injectFault(input: FaultStepInput): Promise<FaultApplied> {
  const docker = await connectDocker();
  const f = input.fault;
  if (f.kind === 'broker-kill' || f.kind === 'connect-kill') {
    const name = input.container ?? faultContainer(input.labId, f);
    await killContainer(docker, name);
    return { kind: f.kind, targets: [name], at: Date.now() };
  }
  const targets = await shapeLink(docker, input.labId, f.kind === 'link-cut' ? 'cut' : f.link);
  return { kind: f.kind, targets, at: Date.now() };
}

/** Undoes one fault: starts the killed container again, or gives the link back its full speed. Idempotent. */
export async function undoFault(input: FaultStepInput): Promise<FaultApplied> {
  const docker = await connectDocker();
  const f = input.fault;
  if (f.kind === 'broker-kill' || f.kind === 'connect-kill') {
    const name = input.container ?? faultContainer(input.labId, f);
    await startContainer(docker, name);
    return { kind: f.kind, targets: [name], at: Date.now() };
  }
  return { kind: f.kind, targets: await shapeLink(docker, input.labId, undefined), at: Date.now() };
}
