import { sleep } from '@temporalio/workflow';
import type { DrillConfig } from '../src/domain/drill-input';
import type { stepInputs } from '../src/drill/step-inputs';
import { problems, summaries } from '../src/drill/step-summaries';
import { clusterActivities, labActivities, observeActivities, produceActivities, verifyActivities } from './proxies';
import type { StepRecorder } from './step-recorder';
import { failbackDrill } from './failback-drill';

/**
 * The disaster a second data center exists for, as a runbook of durable steps: the primary dies at
 * once mid-load (every container SIGKILLed, its disks kept, the link cut), the consumer group
 * resumes on the DR side from MirrorMaker 2's translated offsets, the producers write there through
 * the outage, and then the primary's disks are read (its brokers alone, still cut off) to find what
 * it acknowledged and never mirrored. RPO and RTO come from this run's own records.
 */
export async function disasterDrill(c: DrillConfig, inputs: ReturnType<typeof stepInputs>, rec: StepRecorder): Promise<void> {
  const d = c.disaster!;
  const x = inputs.disaster;
  const producing = produceActivities(c.messages / c.rate);
  // each site's registry in step before the traffic: the DR side decodes through its own from the first record
  const registries = await rec.run(
    'sync-registries',
    (on) => on(clusterActivities).syncRegistries(x.syncRegistries()),
    summaries.syncRegistries,
  );

  // The load, which ends when the primary dies; the disaster is timed from its start.
  let loadStarted!: (s: { plannedAt: number; drStart: Record<number, string> }) => void;
  const started = new Promise<{ plannedAt: number; drStart: Record<number, string> }>((resolve) => (loadStarted = resolve));
  const load = rec.run(
    'produce-v1',
    async (on) => {
      const a = on(producing);
      const start = await a.recordProduceStart(inputs.produceStart());
      // where the run begins on the DR side too, before any record: the mirror, and the topic the producers fail over to
      const mirrored = await a.recordProduceStart(x.mirroredStart());
      const dr = await a.recordProduceStart(x.drStart());
      const plannedAt = start.startedAt + d.afterSeconds * 1000;
      loadStarted({ plannedAt, drStart: dr.startOffsets });
      const r = await a.produceStudents({ ...inputs.produce(1, start), stopAtMs: plannedAt });
      return { ...r, plannedAt, startOffsets: { primary: start.startOffsets, mirrored: mirrored.startOffsets, dr: dr.startOffsets } };
    },
    summaries.produce,
    problems.disasterLoad,
  );
  // a load that fails before the disaster ends the drill there
  const { plannedAt, drStart } = await Promise.race([started, load.then((r) => ({ plannedAt: r.plannedAt, drStart: r.startOffsets.dr }))]);
  const untilOrLoadFails = (ms: number) => Promise.race([sleep(Math.max(0, ms)), load.then(() => sleep(Math.max(0, ms)))]);

  // consumer-1's role: a group processing the primary as it goes; it stops a second before the site dies
  const primaryGroup = rec.run(
    'consume-primary',
    (on) => on(observeActivities(d.afterSeconds + 60)).consumeSite(x.consumePrimary(plannedAt - 1000)),
    summaries.consumePrimary(inputs.failover.group),
  );
  primaryGroup.catch(() => undefined); // awaited below; its failure fails the drill there

  if (d.pauseMirrorSeconds > 0) {
    await untilOrLoadFails(plannedAt - d.pauseMirrorSeconds * 1000 - Date.now());
    await rec.run('pause-mirror', (on) => on(clusterActivities).pauseMirror(x.pauseMirror()), summaries.pauseMirror);
  }
  await untilOrLoadFails(plannedAt - Date.now());
  const lost = await rec.run('disaster', (on) => on(labActivities).loseSite(x.loseSite()), summaries.disaster);
  await primaryGroup;

  // Failover, as a runbook: the group moves at once; the producers when their sends to the primary have failed.
  const consumers = rec.run(
    'failover-consumers',
    async (on) => {
      const translated = await on(clusterActivities).translateGroupOffsets(inputs.failover.translate(lost.at));
      const resumeAt = Object.fromEntries(Object.entries(translated).map(([p, t]) => [p, t.downstreamOffset]));
      // sharing the mirror's topic (IdentityReplicationPolicy), the DR side's records begin where the dead mirror stopped
      const drBegins = x.oneTopic ? (await on(producing).recordProduceStart(x.drStart())).startOffsets : drStart;
      const consumed = await on(observeActivities(d.outageSeconds + 120)).consumeSite(
        x.consumeDr(resumeAt, drBegins, lost.at + d.outageSeconds * 1000),
      );
      return { translated, consumed, drBegins };
    },
    summaries.failoverConsumers(lost.at),
  );
  consumers.catch(() => undefined);
  const p1 = await load;
  const drLoad = await rec.run(
    'failover-producers',
    (on) => on(produceActivities(d.outageSeconds)).produceStudents(x.produceDr(p1.startOffsets.dr)),
    summaries.failoverProducers(lost.at),
    problems.produce({ ...c, messages: x.drCount }),
  );
  const moved = await consumers;

  await rec.run('read-primary', (on) => on(labActivities).dataCenterUp(x.primaryAlone()), summaries.readPrimary);
  const mirroredTopic = c.mirroredTopic;
  const states = Array.from({ length: c.partitions }, (_, partition) => ({
    partition,
    ...(moved.translated[partition] ? { checkpoint: moved.translated[partition] } : {}),
    resumedAt: moved.consumed.resumedAt[mirroredTopic]?.[partition] ?? 0,
    end: moved.consumed.ends[mirroredTopic]?.[partition] ?? 0,
    ...(moved.consumed.firstOffsets[mirroredTopic]?.[partition] !== undefined
      ? { startedAt: moved.consumed.firstOffsets[mirroredTopic][partition] }
      : {}),
  }));
  const upstream = { first: 0, count: c.messages, partitions: c.partitions, ackedBelow: p1.ackedBelow ?? {} };
  await rec.run(
    'verify-disaster',
    (on) =>
      on(verifyActivities(60, c.messages + x.drCount)).accountDisaster(
        x.account({
          upstream,
          startOffsets: p1.startOffsets,
          states,
          drGroupEnd: moved.consumed.ends[c.topic] ?? {},
          drGroupStart: moved.consumed.firstOffsets[c.topic] ?? {},
          disasterAt: lost.at,
          diedAt: lost.deadAt,
          firstAckDr: drLoad.firstAckAt,
          firstProcessedDr: moved.consumed.firstProcessedAt,
          schemaIds: registries.ids,
        }),
      ),
    summaries.verifyDisaster,
    (r) => r.problems,
  );

  if (d.failback)
    await failbackDrill(c, inputs, rec, {
      upstream,
      startOffsets: p1.startOffsets,
      drGroup: { start: moved.consumed.firstOffsets[c.topic] ?? {}, end: moved.consumed.ends[c.topic] ?? {} },
      drBegins: moved.drBegins,
    });
}
