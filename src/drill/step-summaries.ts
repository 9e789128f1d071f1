import type { AppsOutput } from '../contracts/apps';
import type { FaultApplied } from '../contracts/faults';
import type { DisasterResult, MirrorPaused, RegistriesSynced, SiteConsumed, SiteLost } from '../contracts/disaster';
import type { DataCenterChange } from '../contracts/failover';
import type { FailbackResult, MirrorResumed, MirrorStopped, ReverseMirrored, StrandedReconciled } from '../contracts/failback';
import { sparseSyncs, type FailoverAccounting } from '../domain/failover';
import type { ConnectorState } from '../contracts/mirror';
import type { ObserveOutput } from '../contracts/observe';
import type { ProduceOutput } from '../contracts/produce';
import type { EvolveOutput } from '../contracts/schema';
import type { TopicOutput } from '../contracts/topics';
import type { VerifyOutput } from '../contracts/verify';
import type { TeardownResult } from '../contracts/lab';
import type { DrillConfig } from '../domain/drill-input';
import { isOneWayCut, type Fault } from '../domain/faults';
import type { LabEndpoints } from '../domain/endpoints';
import type { WanProfile } from '../domain/topology';
import type { MetricCheck } from '../domain/report';

/**
 * Each step's one-line summary and the problems that fail it, from its activity's result. Pure and
 * workflow-safe: the same words in the Temporal UI, the CLI and the reports.
 */
/** A standing WAN in words: "50±5 ms each way, 100 Mbit/s", or a plain link. */
export const linkProfileText = (p: WanProfile | undefined) => {
  if (!p) return 'no WAN profile';
  const delay = p.delayMs || p.jitterMs ? `${p.delayMs}±${p.jitterMs} ms each way` : 'no added delay';
  return `${delay}${p.rateMbit ? `, ${p.rateMbit} Mbit/s per connection` : ''}`;
};

const secondsAfter = (at: number, from: number) => (Math.max(0, at - from) / 1000).toFixed(1);

export const summaries = {
  provision: (c: DrillConfig) => (ep: LabEndpoints) =>
    (c.mode === 'provision' ? `lab ${c.labId} (${c.topology}) up` : `attached to ${c.target?.name ?? 'target'}`) +
    `: upstream ${ep.clusters.upstream.bootstrap.join(',')}` +
    (ep.linkProxy
      ? `; link through Toxiproxy: ${linkProfileText(ep.linkProxy.profile)}, Kafka round trip ${ep.linkProxy.roundTripMs ?? '?'} ms`
      : ''),
  createTopic: (c: DrillConfig) => (r: TopicOutput) =>
    `${r.topic}: ${r.created ? 'created' : 'exists'} with ${r.partitions} partitions, replication factor ${c.replicationFactor}`,
  registerMirror: (states: ConnectorState[]) =>
    states.map((s) => `${s.name} ${s.state} (${s.tasks.length} tasks${s.changed ? ', registered' : ', unchanged'})`).join('; '),
  observeFlow: (r: ObserveOutput) =>
    `mirror lag ${r.mirrorLagMs ?? '?'} ms (newest upstream ${r.upstreamNewest ?? 'none'}` +
    (r.partitions
      ? `; ${r.partitions.map((p) => `p${p.partition} ${p.caughtUp ? 'caught up' : p.lagMs === undefined ? 'not arrived' : `${p.lagMs} ms`}`).join(', ')})`
      : `, downstream ${r.downstreamNewest ?? 'none'})`) +
    `; newest document ${r.indexAgeMs === undefined ? 'none' : `${Math.round(r.indexAgeMs / 1000)} s old`}`,
  startApps: (r: AppsOutput) => r.apps.map((a) => `${a.name}: ${a.detail}`).join('; '),
  produce: (r: ProduceOutput) => {
    // A retried produce may find a record written twice; it is one message (and a duplicate downstream).
    const twice = r.writtenTwice ? `, ${r.writtenTwice} written twice` : '';
    const resumed = r.resumed ? `, ${r.resumed} from an earlier attempt${twice}` : '';
    // kafkajs resolved a send without writing part of it (a leader moved); those were sent again.
    const resent = r.resent ? `; ${r.resent} sent again after kafkajs left them unwritten` : '';
    return `${r.acknowledged} acknowledged (schema id ${r.schemaId}${resumed}) at ${r.messagesPerSecond} msg/s${resent}`;
  },
  fault: (f: Fault) => (r: { applied: FaultApplied; undone: FaultApplied }) =>
    `${f.kind} on ${r.applied.targets.join(', ')} for ${((r.undone.at - r.applied.at) / 1000).toFixed(1)} s, then undone` +
    (f.kind === 'link-degrade'
      ? ` (delay ${f.link.delayMs}±${f.link.jitterMs} ms, loss ${f.link.lossPercent}%, ${f.link.rateMbit} Mbit/s)`
      : isOneWayCut(f)
        ? ` (${f.direction} only)`
        : ''),
  deleteMirrored: (c: DrillConfig) => (r: { partition: number; from: number; to: number }) =>
    `deleted offsets ${r.from}..${r.to - 1} of ${c.mirroredTopic}[${r.partition}]`,
  verify: (r: VerifyOutput) => {
    const a = r.accounting;
    const l = r.latency;
    const latency = l.available
      ? `latency p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms${l.negative ? ` (${l.negative} negative: clock skew)` : ''}`
      : `latency unavailable: ${l.unavailableReason}`;
    return `produced ${a.produced}, mirrored ${a.mirrored}, indexed ${a.indexed}; lost ${a.lost}, duplicated ${a.duplicated}, reordered ${a.reordered}, altered ${a.altered}; ${latency}`;
  },
  consumeUpstream: (group: string) => (r: { processed: number; committed: Record<number, number> }) =>
    `group ${group} processed ${r.processed} upstream and committed ${offsetsText(r.committed)} before the outage`,
  failover: (r: {
    down: { targets: string[]; at: number };
    up: { at: number };
    translated: Record<number, { downstreamOffset: number }>;
    consumed: { resumedAt: Record<number, number>; processed: number };
  }) =>
    `upstream down for ${((r.up.at - r.down.at) / 1000).toFixed(1)} s (${r.down.targets.length} containers killed); ` +
    `checkpoints translated ${Object.keys(r.translated).length} partition(s); the group resumed downstream at ${offsetsText(r.consumed.resumedAt)} and processed ${r.consumed.processed}`,
  verifyFailover: (r: { accounting: FailoverAccounting }) => {
    const a = r.accounting;
    const sparse = a.partitions.reduce((n, p) => n + Math.min(p.twiceByTranslation, sparseSyncs(p)), 0);
    return (
      `${a.expected} messages: ${a.processedUpstream} processed upstream, ${a.processedDownstream} downstream; skipped ${a.skipped}, ` +
      `processed twice ${a.twice} (${a.twiceAfterCheckpoint} committed after the last checkpoint; ${a.twiceByTranslation} given back by translation, ` +
      `${sparse} of them because MirrorMaker 2 keeps only sparse offset syncs behind the newest)`
    );
  },
  consumePrimary: (group: string) => (r: SiteConsumed) =>
    `group ${group} processed ${r.processed} on the primary until the disaster (what it committed is read from the primary's disks afterwards)`,
  syncRegistries: (r: RegistriesSynced) =>
    `the DR site's registry ${r.action === 'already in step' ? 'already resolves' : `${r.action}: it resolves`} the primary's schema id(s) ${Object.keys(r.ids).join(', ')} as the primary does`,
  pauseMirror: (r: MirrorPaused) => `planted: ${r.connector} ${r.state}, so what the primary acknowledges from now on is never mirrored`,
  disaster: (r: SiteLost) =>
    `the primary data center lost: ${r.targets.length} containers SIGKILLed within ${r.deadAt - r.at} ms (${r.targets.join(', ')}), and cut off the link`,
  failoverConsumers: (disasterAt: number) => (r: { translated: Record<number, unknown>; consumed: SiteConsumed }) =>
    `checkpoints translated ${Object.keys(r.translated).length} partition(s); the group processed ${r.consumed.processed} on the DR side, ` +
    (r.consumed.firstProcessedAt ? `the first ${secondsAfter(r.consumed.firstProcessedAt, disasterAt)} s after the disaster` : 'none'),
  failoverProducers: (disasterAt: number) => (r: ProduceOutput) =>
    `${r.acknowledged} written on the DR cluster at ${r.messagesPerSecond} msg/s, ` +
    (r.firstAckAt ? `the first acknowledged ${secondsAfter(r.firstAckAt, disasterAt)} s after the disaster` : 'none acknowledged'),
  readPrimary: (r: DataCenterChange) =>
    `the primary's brokers started alone with their disks (${r.targets.join(', ')}), still cut off the link`,
  verifyDisaster: (r: DisasterResult) => {
    const a = r.accounting;
    const rto = r.rto;
    const s = (x?: number) => (x === undefined ? 'unknown' : `${x} s`);
    return (
      `RPO ${r.rpo.records} record(s) stranded (${s(r.rpo.seconds)}); RTO ${s(rto.seconds)} (producers ${s(rto.producersSeconds)}, consumers ${s(rto.consumersSeconds)}, index ${s(rto.indexSeconds)}); ` +
      `upstream ${a.upstream.acknowledged} acknowledged: ${a.upstream.mirrored} mirrored, ${a.upstream.stranded} stranded, ${a.upstream.lostAcknowledged} lost` +
      `${a.upstream.writtenUnacknowledged ? ` (and ${a.upstream.writtenUnacknowledged} written without an acknowledgement)` : ''}; ` +
      `DR side ${a.dr.found} of ${a.dr.written} written; group skipped ${a.group.skipped}, processed twice ${a.group.twice}; indexed ${a.index.indexed} of ${a.index.expected}`
    );
  },
  primaryReturns: (r: { stopped: MirrorStopped; registries: RegistriesSynced; backAt: number }) =>
    `${r.stopped.connector} ${r.stopped.state}; the primary back with its disks ${secondsAfter(r.backAt, r.stopped.at)} s later, on the link again, ` +
    `its registry ${r.registries.action === 'already in step' ? 'in step' : r.registries.action} (schema id(s) ${Object.keys(r.registries.ids).join(', ')})`,
  reconcileStranded: (r: StrandedReconciled) =>
    `${r.records} stranded record(s) on the primary` +
    (r.partitions.length
      ? ` (${r.partitions.map((p) => `p${p.partition}: ${p.count} at offsets ${p.firstOffset}..${p.lastOffset}`).join(', ')})`
      : '') +
    (r.action === 'report'
      ? ': reported, left in its log'
      : `: republished on the DR side (${r.republished} now${r.alreadyThere ? `, ${r.alreadyThere} by an earlier attempt` : ''})`),
  reverseMirror: (r: ReverseMirrored) =>
    `${r.connectors.map((s) => `${s.name} ${s.state}`).join(', ')}; caught up (lag 0), ${r.copied} record(s) copied in ${secondsAfter(r.caughtUpAt, r.registeredAt)} s`,
  failbackConsumers: (backAt: number) => (r: { translated: { translated: Record<number, unknown> }; consumed: SiteConsumed }) =>
    `reverse checkpoints translated ${Object.keys(r.translated.translated).length} partition(s); the group processed ${r.consumed.processed} on the primary, ` +
    (r.consumed.firstProcessedAt ? `the first ${secondsAfter(r.consumed.firstProcessedAt, backAt)} s after it was back` : 'none'),
  failbackProducers: (backAt: number) => (r: ProduceOutput) =>
    `${r.acknowledged} written to the primary at ${r.messagesPerSecond} msg/s, ` +
    (r.firstAckAt ? `the first acknowledged ${secondsAfter(r.firstAckAt, backAt)} s after it was back` : 'none acknowledged'),
  resumeMirror: (r: MirrorResumed) =>
    `the forward mirror resumed where the producers began on the primary and caught up in ${secondsAfter(r.caughtUpAt, r.at)} s; ${r.removed.join(', ')} removed`,
  verifyFailback: (r: FailbackResult) => {
    const a = r.accounting;
    const f = r.figures;
    return (
      `failback ${f.seconds === undefined ? 'unknown' : `${f.seconds} s`} (producers ${f.producersSeconds ?? '?'} s, consumers ${f.consumersSeconds ?? '?'} s); ` +
      `${a.reverse.movedBack} of ${a.reverse.expected} moved back; ${a.stranded.records} stranded (${a.stranded.action === 'report' ? 'reported' : `${a.stranded.republished} republished`}); ` +
      `${a.forward.mirrored} of ${a.forward.written} written after failback mirrored; group skipped ${a.group.skipped}, processed twice ${a.group.twiceByReverseTranslation}; indexed ${a.index.indexed} of ${a.index.expected}`
    );
  },
  evolveSchema: (r: EvolveOutput) =>
    `${r.subject} is ${r.compatibilityLevel}; ` +
    (r.v1Version === undefined ? '' : `this run's v1 is version ${r.v1Version}, `) +
    `v2 registered as id ${r.v2Id}${r.v2Version === undefined ? '' : ` (version ${r.v2Version})`}; versions ${r.versions.join(', ')}`,
  checkMetrics: (checks: MetricCheck[]) => {
    const skipped = checks.filter((x) => x.verdict === 'skipped').length;
    return `${checks.filter((x) => x.verdict === 'passed').length}/${checks.length} metric checks passed${skipped ? `, ${skipped} skipped (see why)` : ''}`;
  },
  teardown: (c: DrillConfig) => (r: TeardownResult) =>
    c.mode === 'attach'
      ? `removed the drill's apps (${r.containers.length} containers); the target is untouched`
      : `removed ${r.containers.length} containers, ${r.networks.length} networks`,
};

const offsetsText = (o: Record<number, number>) =>
  Object.entries(o)
    .map(([p, off]) => `p${p}:${off}`)
    .join(' ');

export const problems = {
  produce: (c: DrillConfig) => (r: ProduceOutput) => [
    ...(r.acknowledged === c.messages ? [] : [`${c.messages - r.acknowledged} not acknowledged`]),
    // Kafka acknowledged them, then the upstream topic lost them: not the producer's, not the mirror's.
    ...(r.lostAfterAck?.count
      ? [
          `${r.lostAfterAck.count} acknowledged by an earlier attempt are missing upstream (e.g. seq ${r.lostAfterAck.examples.join(', ')}): the upstream cluster lost them after acknowledging; not sent again`,
        ]
      : []),
  ],
  /** A disaster drill's load ends when the primary dies: it must have had records acknowledged by then. */
  disasterLoad: (r: ProduceOutput) => (r.acknowledged > 0 ? [] : ['no record was acknowledged before the primary died']),
  evolveSchema: (r: EvolveOutput) => [
    // The evolution this run proved: its v1 and its v2 are both versions of the subject, v2 the later.
    // (Drills recorded before v1's version was kept checked only the count, which earlier runs met.)
    ...(r.v1Version === undefined
      ? r.versions.length >= 2
        ? []
        : [`the registry lists ${r.versions.length} version(s), expected 2 or more`]
      : r.v2Version === undefined || r.v2Version <= r.v1Version
        ? [`the subject does not list v2 after this run's v1 (v1 is version ${r.v1Version}, v2 ${r.v2Version ?? 'not listed'})`]
        : []),
    ...(r.compatibilityLevel === 'unknown' ? [`the compatibility level of ${r.subject} could not be read`] : []),
  ],
  checkMetrics: (checks: MetricCheck[]) =>
    checks.filter((x) => x.verdict === 'failed').map((x) => `${x.name}: ${x.observed} (expected ${x.expectation})`),
};
