import { kafkaClient } from '../src/clients/kafka';
import { connectDocker } from '../src/docker/docker-client';
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import { shapeLinkProxy, streamFrom } from '../src/lab/link-proxy';
import { planLab } from '../src/lab/plan';
import { findLabTopology } from '../src/lab/status';
import { isLinkFault, isOneWayCut, isPauseFault, needsLinkProxy } from '../src/domain/faults';
import { remoteDataCenter } from '../src/domain/topology';
import {
  continueContainer,
  diskOf,
  faultContainer,
  fillDisk,
  freeDisk,
  killContainer,
  pauseContainer,
  shapeLink,
  startContainer,
  type Acted,
  type MainProcess,
} from '../src/lab/faults';
import { kafkaAccessOptions } from '../src/config/credentials';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { DeletedRecords, DeleteRecordsInput, FaultApplied, FaultStepInput } from '../src/contracts/faults';
import { LinkShapingError, TimedOutError } from '../src/errors';

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

/** Injects one fault on a provisioned lab: kills or stops a broker or Connect worker, or cuts or degrades the link; returns its proof. */
export async function injectFault(input: FaultStepInput): Promise<FaultApplied> {
  const docker = await connectDocker();
  const f = input.fault;
  const clock = actionClock();
  if (f.kind === 'disk-full') {
    const disk = await diskOf(docker, input.labId, f);
    const evidence = await fillDisk(docker, disk, clock.acted);
    return { kind: f.kind, targets: [disk.broker], at: clock.at(), evidence };
  }
  if (isLinkFault(f.kind)) {
    const proxy = needsLinkProxy(f) ? await labLinkProxy(docker, input.labId) : undefined;
    if (proxy && isOneWayCut(f)) {
      const from = f.direction === 'upstream-to-downstream' ? 'upstream' : 'downstream';
      const link = await shapeLinkProxy(proxy.endpoint, proxy.profile, streamFrom(from, proxy.remote), clock.acted);
      return { kind: f.kind, targets: link.targets, at: clock.at(), evidence: [`${f.direction} only`, ...link.evidence] };
    }
    if (isOneWayCut(f)) throw new LinkShapingError('the link', `a one-way cut needs the link proxy, and lab ${input.labId} has none`);
    if (proxy) {
      const { delayMs, jitterMs, rateMbit, lossPercent } = f.link;
      const link = await shapeLinkProxy(proxy.endpoint, { delayMs, jitterMs, rateMbit }, undefined, clock.acted);
      // a TCP proxy passes a stream, which loses no packets: loss is retransmission delay there
      const loss = lossPercent > 0 ? [`loss ${lossPercent}% not applied: the link proxy shapes TCP streams, not packets`] : [];
      return { kind: f.kind, targets: link.targets, at: clock.at(), evidence: [...link.evidence, ...loss] };
    }
    const link = await shapeLink(docker, input.labId, f.kind === 'link-cut' ? 'cut' : f.link, clock.acted);
    return { kind: f.kind, targets: link.targets, at: clock.at(), evidence: link.evidence };
  }
  const name = input.container ?? faultContainer(input.labId, f);
  if (isPauseFault(f.kind)) {
    const evidence = await pauseContainer(docker, name, clock.acted);
    return { kind: f.kind, targets: [name], at: clock.at(), evidence: [evidence] };
  }
  // The process about to die goes into the heartbeat first: a retry that finds it dead knows who killed it.
  const ctx = Context.current();
  const killedEarlier = ctx.info.heartbeatDetails as Pick<MainProcess, 'startedAt'> | undefined;
  const evidence = await killContainer(docker, name, {
    killedEarlier,
    before: (p) => ctx.heartbeat({ startedAt: p.startedAt }),
    acted: clock.acted,
  });
  return { kind: f.kind, targets: [name], at: clock.at(), evidence: [evidence] };
}

/** The lab's link proxy, its standing WAN profile and the data center of the brokers behind it, when its link has the proxy. */
async function labLinkProxy(docker: Docker, labId: string) {
  const t = await findLabTopology(docker, labId);
  const endpoint = t?.wan.proxy ? planLab(t).endpoints.linkProxy : undefined;
  return (
    endpoint && {
      endpoint,
      profile: t!.wan.profile,
      remote: remoteDataCenter(t!),
    }
  );
}

/** Undoes one fault: starts the killed container again, continues the stopped one, or gives the link back its full speed. Idempotent. */
export async function undoFault(input: FaultStepInput): Promise<FaultApplied> {
  const docker = await connectDocker();
  const f = input.fault;
  const clock = actionClock();
  if (f.kind === 'disk-full') {
    const disk = await diskOf(docker, input.labId, f);
    const evidence = await freeDisk(docker, disk, clock.acted);
    return { kind: f.kind, targets: [disk.broker], at: clock.at(), evidence };
  }
  if (isLinkFault(f.kind)) {
    const proxy = needsLinkProxy(f) ? await labLinkProxy(docker, input.labId) : undefined;
    // back to the lab's standing WAN, not to no delay at all
    const link = proxy
      ? await shapeLinkProxy(proxy.endpoint, proxy.profile, undefined, clock.acted)
      : await shapeLink(docker, input.labId, undefined, clock.acted);
    return { kind: f.kind, targets: link.targets, at: clock.at(), evidence: link.evidence };
  }
  const name = input.container ?? faultContainer(input.labId, f);
  const evidence = isPauseFault(f.kind)
    ? await continueContainer(docker, name, clock.acted)
    : await startContainer(docker, name, clock.acted);
  return { kind: f.kind, targets: [name], at: clock.at(), evidence: [evidence] };
}

/**
 * A fault's time is the moment its action took hold, as its helper reports it once it acts (before
 * the proof is read back); a helper that did not act (a kill an earlier attempt made) leaves it at the end.
 */
function actionClock() {
  let at: number | undefined;
  const acted: Acted = (t) => {
    at = t;
  };
  return { acted, at: () => at ?? Date.now() };
}
