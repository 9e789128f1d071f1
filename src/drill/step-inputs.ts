import type {
  AccountFailoverInput,
  ConsumeDownstreamInput,
  ConsumeUpstreamInput,
  DataCenterInput,
  PrepareGroupInput,
  TranslateInput,
} from '../contracts/failover';
import type { AccountDisasterInput, ConsumeSiteInput, LoseSiteInput, PauseMirrorInput, SyncRegistriesInput } from '../contracts/disaster';
import type {
  AccountFailbackInput,
  ReconcileStrandedInput,
  ResumeMirrorInput,
  ReverseMirrorInput,
  StopMirrorInput,
  TranslateBackInput,
} from '../contracts/failback';
import type { SchemaIds } from '../schema/registry-sites';
import type { DeleteRecordsInput, FaultStepInput } from '../contracts/faults';
import type { UpstreamLoad } from '../domain/disaster';
import type { Fault } from '../domain/faults';
import type { MetricsInput } from '../contracts/metrics';
import type { MirrorInput } from '../contracts/mirror';
import type { ObserveInput } from '../contracts/observe';
import type { ProduceInput, ProduceStart } from '../contracts/produce';
import type { EvolveInput } from '../contracts/schema';
import type { TopicInput } from '../contracts/topics';
import type { FaultWindow, VerifyInput } from '../contracts/verify';
import type { SeqRange } from '../domain/accounting';
import type { DrillConfig } from '../domain/drill-input';
import type { LabEndpoints } from '../domain/endpoints';
import { FAILOVER_OUTAGE_AFTER_SECONDS, failoverBounds, type FailoverPartitionState } from '../domain/failover';
import { APP_GROUPS, failoverGroupOf, indexOf, PRIMARY_REGISTRY, reverseTopicOf } from '../domain/names';
import { FAILBACK_LOAD_SECONDS } from '../domain/disaster';
import { OFFSET_TRANSLATION } from '../mirror/connectors';
import { STUDENT_SCHEMA_V1 } from '../domain/student-schema';
import { targetFaultContainer } from '../domain/fault-targets';

/** The Schema Registry subject of the drill's topic (TopicNameStrategy). */
export const subjectOf = (c: { topic: string }) => `${c.topic}-value`;

/**
 * Every activity input of a drill, built from its config and the endpoints it runs against. Pure
 * and workflow-safe, so the workflow reads as the chapter's story and this is unit-tested.
 * Credentials travel as references (env var and file names) only; activities read the values.
 */
export function stepInputs(c: DrillConfig, e: LabEndpoints, runId: string) {
  const up = e.clusters.upstream;
  const down = e.clusters.downstream;
  const access = c.target?.access;
  const v1Schema = JSON.stringify(STUDENT_SCHEMA_V1);
  return {
    subject: subjectOf(c),
    schemas: { '1': v1Schema, '2': c.schemaV2 } as Record<string, string>,
    createTopic: (): TopicInput => ({
      bootstrap: up.bootstrap,
      topic: c.topic,
      partitions: c.partitions,
      replicationFactor: c.replicationFactor,
      access: access?.upstream,
      createIfMissing: !c.observeOnly,
    }),
    registerMirror: (): MirrorInput => ({
      connectUrl: e.connect.urls[0],
      sourceBootstrap: up.internalBootstrap,
      targetBootstrap: down.internalBootstrap,
      targetHostBootstrap: down.bootstrap,
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      partitions: c.partitions,
      replicationFactor: c.replicationFactor,
      tuning: c.mirrorTuning,
      replicationPolicy: c.replicationPolicy,
      // Against clusters we did not create, the mirror is checked, never changed.
      register: c.mode === 'provision' || !!c.target?.registerMirror,
      removeReverse: c.mode === 'provision',
      ...(c.observeOnly ? { acceptPaused: true } : {}),
      connectors: c.target?.mirrorConnectors,
      access: { connect: access?.connect, downstream: access?.downstream },
    }),
    observeFlow: (): ObserveInput => ({
      upstreamBootstrap: up.bootstrap,
      downstreamBootstrap: down.bootstrap,
      elasticsearchUrl: e.elasticsearch!.url,
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      index: c.index,
      freshnessField: c.freshnessField,
      maxMirrorLagSeconds: c.maxMirrorLagSeconds,
      maxIndexAgeSeconds: c.maxIndexAgeSeconds,
      access,
    }),
    produceStart: () => ({ bootstrap: up.bootstrap, topic: c.topic, access: access?.upstream }),
    produce: (generation: 1 | 2, start: ProduceStart): ProduceInput => ({
      bootstrap: up.bootstrap,
      schemaRegistryUrl: e.schemaRegistry!.url,
      topic: c.topic,
      runId,
      generation,
      schema: generation === 1 ? v1Schema : c.schemaV2,
      firstSeq: generation === 1 ? 0 : c.messages,
      count: c.messages,
      partitions: c.partitions,
      startOffsets: start.startOffsets,
      rate: c.rate,
      producer: c.producer,
      step: generation === 1 ? 'produce-v1' : 'produce-v2',
      access: { kafka: access?.upstream, schemaRegistry: access?.schemaRegistry },
    }),
    fault: (fault: Fault): FaultStepInput => ({ labId: c.labId, fault, container: targetFaultContainer(c, fault) }),
    deleteMirrored: (sinceMs: number): DeleteRecordsInput => ({
      bootstrap: down.bootstrap,
      topic: c.mirroredTopic,
      count: c.faults.deleteMirroredRecords,
      sinceMs,
      access: access?.downstream,
    }),
    verify: (step: 'verify-v1' | 'verify-v2', ranges: SeqRange[], sinceMs: number, faultWindows?: FaultWindow[]): VerifyInput => ({
      step,
      upstreamBootstrap: up.bootstrap,
      downstreamBootstrap: down.bootstrap,
      schemaRegistryUrl: e.schemaRegistry!.url,
      elasticsearchUrl: e.elasticsearch!.url,
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      index: indexOf(c.topic),
      runId,
      expected: { ranges, partitions: c.partitions },
      schemas: { '1': v1Schema, '2': c.schemaV2 },
      sinceMs,
      deadlineSeconds: c.verifyTimeoutSeconds,
      failOnDuplicates: c.failOnDuplicates,
      upstreamGroup: APP_GROUPS['consumer-1'],
      faultWindows,
      ...(faultWindows?.length ? { loadRate: c.rate } : {}),
      access,
    }),
    failover: {
      group: failoverGroupOf(runId),
      prepare: (): PrepareGroupInput => ({
        bootstrap: up.bootstrap,
        topic: c.topic,
        group: failoverGroupOf(runId),
        connectUrl: e.connect.urls[0],
      }),
      consumeUpstream: (startOffsets: Record<number, number>, nowMs: number): ConsumeUpstreamInput => ({
        bootstrap: up.bootstrap,
        topic: c.topic,
        group: failoverGroupOf(runId),
        stopAt: halfWay(startOffsets, c.messages, c.partitions),
        untilMs: nowMs + FAILOVER_OUTAGE_AFTER_SECONDS * 1000,
      }),
      dataCenter: (coming: 'down' | 'up'): DataCenterInput => ({
        labId: c.labId,
        dataCenter: 'upstream',
        ...(coming === 'up' ? { bootstrap: up.bootstrap, topic: c.topic } : {}),
      }),
      translate: (outageAt: number): TranslateInput => ({
        bootstrap: down.bootstrap,
        group: failoverGroupOf(runId),
        mirroredTopic: c.mirroredTopic,
        outageAt,
      }),
      consumeDownstream: (resumeAt: Record<number, number>): ConsumeDownstreamInput => ({
        bootstrap: down.bootstrap,
        group: failoverGroupOf(runId),
        mirroredTopic: c.mirroredTopic,
        resumeAt,
        skew: c.faults.skewTranslatedOffsets,
      }),
      account: (range: SeqRange, startOffsets: Record<number, string>, states: FailoverPartitionState[]): AccountFailoverInput => ({
        upstreamBootstrap: up.bootstrap,
        downstreamBootstrap: down.bootstrap,
        topic: c.topic,
        mirroredTopic: c.mirroredTopic,
        runId,
        group: failoverGroupOf(runId),
        range,
        partitions: c.partitions,
        startOffsets,
        states,
        bounds: failoverBounds(OFFSET_TRANSLATION),
      }),
    },
    disaster: disasterInputs(c, e, runId),
    failback: failbackInputs(c, e, runId),
    evolveSchema: (v1SchemaId?: number): EvolveInput => ({
      schemaRegistryUrl: e.schemaRegistry!.url,
      subject: subjectOf(c),
      schemaV2: c.schemaV2,
      ...(v1SchemaId === undefined ? {} : { v1SchemaId }),
      access: access?.schemaRegistry,
    }),
    checkMetrics: (run?: MetricsInput['run']): MetricsInput => ({
      prometheusUrl: e.prometheus!.url,
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      latencyThresholdMs: c.latencyThresholdMs,
      jobs: c.mode === 'provision' ? labJobs(e) : {},
      checkAppLag: c.mode === 'provision' && !c.observeOnly,
      access: access?.prometheus,
      run,
    }),
  };
}

/**
 * A disaster drill's inputs. Its DR topic is the apps' topic on the DR cluster: with
 * DefaultReplicationPolicy a producer that fails over writes a topic of the DR cluster's own
 * (src.<topic> stays MirrorMaker 2's), and the consumers read both there; with
 * IdentityReplicationPolicy that is the mirrored topic itself, the DR side's records after the
 * mirror's.
 */
function disasterInputs(c: DrillConfig, e: LabEndpoints, runId: string) {
  const up = e.clusters.upstream;
  const down = e.clusters.downstream;
  const d = c.disaster;
  const group = failoverGroupOf(runId);
  const drCount = drCountOf(c);
  // a disaster drill's lab has a registry per site (a lab without one fails here, not later)
  const drRegistry = () => e.schemaRegistryDr ?? e.schemaRegistry!;
  const oneTopic = c.mirroredTopic === c.topic;
  return {
    drTopic: c.topic,
    drCount,
    /** Where the DR side's own records begin is only known once the mirror is dead when they share its topic. */
    oneTopic,
    createDrTopic: (): TopicInput => ({
      bootstrap: down.bootstrap,
      topic: c.topic,
      partitions: c.partitions,
      replicationFactor: c.replicationFactor,
      createIfMissing: true,
      // the mirror's topic too: arrival times for the replication latency
      ...(oneTopic ? { configs: { 'message.timestamp.type': 'LogAppendTime' } } : {}),
    }),
    mirroredStart: () => ({ bootstrap: down.bootstrap, topic: c.mirroredTopic }),
    drStart: () => ({ bootstrap: down.bootstrap, topic: c.topic }),
    consumePrimary: (untilMs: number): ConsumeSiteInput => ({ bootstrap: up.bootstrap, group, topics: [c.topic], untilMs, toEnd: false }),
    syncRegistries: (): SyncRegistriesInput => ({
      labId: c.labId,
      primaryUrl: e.schemaRegistry!.url,
      drUrl: drRegistry().url,
      subject: subjectOf(c),
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
    }),
    pauseMirror: (): PauseMirrorInput => ({ connectUrl: e.connect.urls[0], seconds: d?.pauseMirrorSeconds ?? 0 }),
    loseSite: (): LoseSiteInput => ({ labId: c.labId, dataCenter: 'upstream' }),
    /**
     * The group on the DR side: the mirrored topic from its translated offsets, the DR topic from
     * where the DR side's records begin (one topic: from the translated offsets, on through them), through the outage.
     */
    consumeDr: (mirroredAt: Record<number, number>, drStart: Record<number, string>, untilMs: number): ConsumeSiteInput => {
      const drAt = Object.fromEntries(Object.entries(drStart).map(([p, o]) => [p, Number(o)]));
      return {
        bootstrap: down.bootstrap,
        group,
        topics: oneTopic ? [c.topic] : [c.mirroredTopic, c.topic],
        untilMs,
        toEnd: true,
        resumeAt: oneTopic ? { [c.topic]: mirroredAt } : { [c.mirroredTopic]: mirroredAt, [c.topic]: drAt },
        // what the DR producer will have written by the end: the group reads at least that far
        atLeast: {
          [c.topic]: Object.fromEntries(
            Object.entries(drAt).map(([p, o]) => [p, o + countIn(Number(p), c.messages, drCount, c.partitions)]),
          ),
        },
      };
    },
    produceDr: (drStart: Record<number, string>): ProduceInput => ({
      bootstrap: down.bootstrap,
      // the primary's registry died with it: the DR site's own answers
      schemaRegistryUrl: drRegistry().url,
      topic: c.topic,
      runId,
      generation: 1,
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
      firstSeq: c.messages,
      count: drCount,
      partitions: c.partitions,
      startOffsets: drStart,
      rate: c.rate,
      producer: c.producer,
      step: 'failover-producers',
    }),
    primaryAlone: (): DataCenterInput => ({
      labId: c.labId,
      dataCenter: 'upstream',
      bootstrap: up.bootstrap,
      topic: c.topic,
      brokersOnly: true,
    }),
    account: (a: {
      upstream: UpstreamLoad;
      startOffsets: AccountDisasterInput['startOffsets'];
      states: AccountDisasterInput['states'];
      drGroupEnd: Record<number, number>;
      drGroupStart: Record<number, number>;
      disasterAt: number;
      diedAt: number;
      firstAckDr?: number;
      firstProcessedDr?: number;
      schemaIds: SchemaIds;
    }): AccountDisasterInput => ({
      drRegistryUrl: drRegistry().url,
      primaryBootstrap: up.bootstrap,
      drBootstrap: down.bootstrap,
      elasticsearchUrl: e.elasticsearch!.url,
      index: indexOf(c.topic),
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      drTopic: c.topic,
      runId,
      group,
      dr: { first: c.messages, count: drCount },
      bounds: failoverBounds(OFFSET_TRANSLATION),
      disaster: d!,
      ...a,
    }),
  };
}

/**
 * A failback's inputs. With DefaultReplicationPolicy each copy is named by its origin: the forward
 * mirror writes `src.<topic>` on the DR side, the reverse mirror `dst.<topic>` on the primary, and
 * each side's producers write the plain `<topic>` of their own cluster. After failback the group
 * reads `<topic>` and `dst.<topic>` on the primary. With IdentityReplicationPolicy every copy is
 * `<topic>`: the reverse mirror appends the DR side's records to the primary's topic, where the
 * producers write after them and the group reads on through them.
 */
function failbackInputs(c: DrillConfig, e: LabEndpoints, runId: string) {
  const up = e.clusters.upstream;
  const down = e.clusters.downstream;
  const d = c.disaster;
  const group = failoverGroupOf(runId);
  const drCount = drCountOf(c);
  const loadSeconds = d?.failbackLoadSeconds ?? FAILBACK_LOAD_SECONDS;
  const count = Math.max(1, Math.round((c.rate || 500) * loadSeconds));
  const first = c.messages + drCount;
  const reverseTopic = reverseTopicOf(c.topic, c.replicationPolicy);
  const oneTopic = reverseTopic === c.topic;
  const offsets = (o: Record<number, string>) => Object.fromEntries(Object.entries(o).map(([p, x]) => [p, Number(x)]));
  return {
    reverseTopic,
    oneTopic,
    loadSeconds,
    range: { first, count },
    stopMirror: (): StopMirrorInput => ({
      connectUrl: e.connect.urls[0],
      downstreamBootstrap: down.bootstrap,
      mirroredTopic: c.mirroredTopic,
    }),
    /** The primary's registry comes back empty (Apicurio keeps its content in memory): the DR site's content goes back into it. */
    syncRegistries: (): SyncRegistriesInput => ({
      labId: c.labId,
      primaryUrl: (e.schemaRegistryDr ?? e.schemaRegistry!).url,
      drUrl: e.schemaRegistry!.url,
      intoNode: PRIMARY_REGISTRY,
      subject: subjectOf(c),
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
    }),
    reconcile: (
      a: Omit<ReconcileStrandedInput, 'primaryBootstrap' | 'drBootstrap' | 'topic' | 'mirroredTopic' | 'drTopic' | 'runId' | 'action'>,
    ): ReconcileStrandedInput => ({
      primaryBootstrap: up.bootstrap,
      drBootstrap: down.bootstrap,
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      drTopic: c.topic,
      runId,
      action: d?.stranded ?? 'report',
      ...a,
    }),
    /** From where the DR side's own records begin on its topic. */
    reverseMirror: (from: Record<number, string>): ReverseMirrorInput => ({
      connectUrl: e.connect.urls[0],
      sourceBootstrap: down.internalBootstrap,
      targetBootstrap: up.internalBootstrap,
      sourceHostBootstrap: down.bootstrap,
      targetHostBootstrap: up.bootstrap,
      topic: c.topic,
      reverseTopic,
      partitions: c.partitions,
      replicationFactor: c.replicationFactor,
      tuning: c.mirrorTuning,
      replicationPolicy: c.replicationPolicy,
      from,
      timeoutSeconds: 120 + Math.ceil(drCount / 1000),
    }),
    translateBack: (): TranslateBackInput => ({
      drBootstrap: down.bootstrap,
      primaryBootstrap: up.bootstrap,
      group,
      drTopic: c.topic,
      reverseTopic,
      timeoutSeconds: 120,
    }),
    /** The group back on the primary: its own topic from where the primary stood at its return, the reverse copy from the translated offsets. */
    consume: (producersStart: Record<number, string>, translated: Record<number, number>, untilMs: number): ConsumeSiteInput => ({
      bootstrap: up.bootstrap,
      group,
      topics: oneTopic ? [c.topic] : [c.topic, reverseTopic],
      untilMs,
      toEnd: true,
      moveGroup: true,
      resumeAt: oneTopic ? { [c.topic]: translated } : { [c.topic]: offsets(producersStart), [reverseTopic]: translated },
      atLeast: {
        [c.topic]: Object.fromEntries(
          Object.entries(producersStart).map(([p, o]) => [p, Number(o) + countIn(Number(p), first, count, c.partitions)]),
        ),
      },
    }),
    produce: (primaryEnd: Record<number, string>): ProduceInput => ({
      bootstrap: up.bootstrap,
      schemaRegistryUrl: e.schemaRegistry!.url,
      topic: c.topic,
      runId,
      generation: 1,
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
      firstSeq: first,
      count,
      partitions: c.partitions,
      startOffsets: primaryEnd,
      rate: c.rate,
      producer: c.producer,
      step: 'failback-producers',
    }),
    resumeMirror: (from: Record<number, string>): ResumeMirrorInput => ({
      connectUrl: e.connect.urls[0],
      primaryBootstrap: up.bootstrap,
      topic: c.topic,
      from,
      timeoutSeconds: 180 + Math.ceil(count / 1000),
    }),
    account: (
      a: Omit<
        AccountFailbackInput,
        | 'primaryBootstrap'
        | 'drBootstrap'
        | 'elasticsearchUrl'
        | 'index'
        | 'topic'
        | 'mirroredTopic'
        | 'drTopic'
        | 'reverseTopic'
        | 'runId'
        | 'action'
        | 'dr'
        | 'failback'
        | 'maxFailbackSeconds'
      >,
    ): AccountFailbackInput => ({
      primaryBootstrap: up.bootstrap,
      drBootstrap: down.bootstrap,
      elasticsearchUrl: e.elasticsearch!.url,
      index: indexOf(c.topic),
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      drTopic: c.topic,
      reverseTopic,
      runId,
      action: d?.stranded ?? 'report',
      dr: { first: c.messages, count: drCount },
      failback: { first, count },
      ...(d?.maxFailbackSeconds !== undefined ? { maxFailbackSeconds: d.maxFailbackSeconds } : {}),
      ...a,
    }),
  };
}

/** What the producers write on the DR side through the outage: the load's rate for its duration. */
const drCountOf = (c: DrillConfig) => Math.max(1, Math.round((c.rate || 500) * (c.disaster?.outageSeconds ?? 0)));

/** How many of `count` records from seq `first` go to `partition` (seq % partitions). */
function countIn(partition: number, first: number, count: number, partitions: number): number {
  const firstIn = first + ((partition - (first % partitions) + partitions) % partitions);
  return firstIn >= first + count ? 0 : Math.floor((first + count - 1 - firstIn) / partitions) + 1;
}

/** Per partition, the offset half-way through a run whose message `seq` went to partition `seq % partitions`. */
function halfWay(start: Record<number, number>, messages: number, partitions: number): Record<number, number> {
  return Object.fromEntries(
    Array.from({ length: partitions }, (_, p) => {
      const count = p < messages ? Math.floor((messages - 1 - p) / partitions) + 1 : 0;
      return [p, (start[p] ?? 0) + Math.ceil(count / 2)];
    }),
  );
}

/** The scrape jobs a provisioned lab has, with how many targets each. */
function labJobs(e: LabEndpoints): Record<string, number> {
  return {
    'kafka-upstream': e.clusters.upstream.bootstrap.length,
    'kafka-downstream': e.clusters.downstream.bootstrap.length,
    connect: e.connect.urls.length,
    apps: e.apps?.length ?? 0,
  };
}
