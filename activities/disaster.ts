import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Client } from '@elastic/elasticsearch';
import { Context } from '@temporalio/activity';
import { kafkaClient } from '../src/clients/kafka';
import { connectorState, setConnectorPaused } from '../src/clients/connect';
import { pollUntil } from '../src/util/poll';
import { connectDocker } from '../src/docker/docker-client';
import { DisasterLedger, disasterGateProblems, disasterProblems, registryProblems, rpoFigures, rtoFigures } from '../src/domain/disaster';
import { readLabHeaders } from '../src/domain/lab-headers';
import { dataCenterContainers, isolateDataCenter, killContainer, mainProcess } from '../src/lab/faults';
import { committedOffsets, consumeLive, setGroupOffsets, type LiveProgress } from '../src/kafka/consumer-group';
import { readToEnd } from '../src/kafka/topic-reader';
import { SOURCE_CONNECTOR } from '../src/mirror/connectors';
import { firstIndexedAt, readIndex } from '../src/verify/index-reader';
import { withHeartbeat } from '../src/activity/heartbeat';
import { FaultNotProvenError, RegistriesOutOfStepError, TimedOutError } from '../src/errors';
import { httpJson } from '../src/clients/http';
import { containerName } from '../src/lab/names';
import { DR_REGISTRY } from '../src/lab/plan';
import { exportRegistry, importRegistry, mismatchedIds, schemaById, schemaIds } from '../src/schema/registry-sites';
import { wireDecoder } from '../src/schema/wire';
import { withOffsetSyncs } from '../src/mirror/offset-syncs';
import { topicEnds, topicTimestampType } from '../src/kafka/topic-offsets';

const numbers = (o: Record<number, string>) => Object.fromEntries(Object.entries(o).map(([p, x]) => [p, Number(x)]));
import { latencyAvailability } from '../src/verify/judge';
import { LatencyHistogram } from '../src/domain/latency-histogram';
import { latencyUnavailable } from '../src/domain/accounting';
import type { Offsets } from '../src/contracts/failover';
import type {
  AccountDisasterInput,
  ConsumeSiteInput,
  DisasterResult,
  LoseSiteInput,
  MirrorPaused,
  PauseMirrorInput,
  RegistriesSynced,
  SiteConsumed,
  SyncRegistriesInput,
  SiteLost,
} from '../src/contracts/disaster';

/**
 * The disaster drill's activities: the primary data center lost at once, the DR side serving, and
 * every record accounted for from the primary's surviving disks. Each is idempotent: a retry finds
 * the site dead (its processes' start times are in the heartbeat), the group at its committed offsets.
 */

/** Planted loss: MirrorMaker 2's source connector paused, so what the primary acknowledges from now on is stranded. */
export async function pauseMirror(input: PauseMirrorInput): Promise<MirrorPaused> {
  await setConnectorPaused(input.connectUrl, SOURCE_CONNECTOR, true, {});
  const at = Date.now();
  // the proof: Connect reports the connector and its tasks paused
  const state = await withHeartbeat((progress, signal) =>
    pollUntil(
      async () => {
        const s = await connectorState(input.connectUrl, SOURCE_CONNECTOR, false, {});
        return s.state === 'PAUSED' && s.tasks.every((t) => t === 'PAUSED')
          ? { done: true, value: `${s.state}, tasks ${s.tasks.join(',')}` }
          : { done: false, detail: `${s.state}, tasks ${s.tasks.join(',')}` };
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        signal,
        onProgress: progress,
        onTimeout: (d) => new FaultNotProvenError(`pausing ${SOURCE_CONNECTOR}`, `it reads ${d}`),
      },
    ),
  );
  return { connector: SOURCE_CONNECTOR, at, state };
}

/**
 * Each data center's registry in step before the traffic: the run's schema registered on the
 * primary's, whose content is then exported and imported into the DR site's (ids kept), unless the
 * DR registry already resolves every id the same way. Import needs an empty registry: one that holds
 * something else is restarted (its content is in memory) and then imported into.
 */
export async function syncRegistries(input: SyncRegistriesInput): Promise<RegistriesSynced> {
  const docker = await connectDocker();
  return withHeartbeat(async (progress, signal) => {
    await new SchemaRegistry({ host: input.primaryUrl }).register(
      { type: SchemaType.AVRO, schema: input.schema },
      { subject: input.subject },
    );
    const ids = await schemaIds(input.primaryUrl);
    if ((await mismatchedIds(input.drUrl, ids)).length === 0) return { ids, action: 'already in step' as const, at: Date.now() };
    const zip = await exportRegistry(input.primaryUrl);
    let action: RegistriesSynced['action'] = 'imported';
    const dr = await httpJson<string[]>('Schema Registry', `${input.drUrl}/subjects`);
    if (!Array.isArray(dr.body) || dr.body.length > 0) {
      await docker.getContainer(containerName(input.labId, input.intoNode ?? DR_REGISTRY)).restart();
      await pollUntil(
        async () => {
          const r = await httpJson<string[]>('Schema Registry', `${input.drUrl}/subjects`).catch((e: Error) => ({
            status: 0,
            body: e.message,
          }));
          return r.status === 200 && Array.isArray(r.body) && r.body.length === 0
            ? { done: true, value: undefined }
            : { done: false, detail: `${r.status}: ${JSON.stringify(r.body).slice(0, 100)}` };
        },
        {
          timeoutMs: 120_000,
          intervalMs: 500,
          signal,
          onProgress: progress,
          onTimeout: (d) => new TimedOutError("the DR site's registry restarting empty", d, 'read its log (docker logs)'),
        },
      );
      action = 'emptied and imported';
    }
    await importRegistry(input.drUrl, zip);
    const off = await mismatchedIds(input.drUrl, ids);
    if (off.length > 0)
      throw new RegistriesOutOfStepError(`after the import it does not resolve schema id(s) ${off.join(', ')} as the primary does`);
    return { ids, action, at: Date.now() };
  });
}

/** The primary site dies at once: every container in it SIGKILLed (its disks kept), then cut off the link for good. */
export async function loseSite(input: LoseSiteInput): Promise<SiteLost> {
  const docker = await connectDocker();
  const targets = await dataCenterContainers(docker, input.labId, input.dataCenter, 'site');
  // The processes about to die go into the heartbeat first, with the disaster's time: a retry knows who killed them, and when.
  const ctx = Context.current();
  let before = ctx.info.heartbeatDetails as { at: number; started: Record<string, string> } | undefined;
  if (!before) {
    const started: Record<string, string> = {};
    for (const name of targets) {
      const p = await mainProcess(docker, name);
      if (p.running) started[name] = p.startedAt;
    }
    before = { at: Date.now(), started };
    ctx.heartbeat(before);
  }
  // all at once: the site lost its power, not one machine after another
  const evidence = await Promise.all(
    targets.map((name) => {
      const earlier = before.started[name];
      return killContainer(docker, name, { killedEarlier: earlier ? { startedAt: earlier } : undefined });
    }),
  );
  const deadAt = Date.now();
  evidence.push(...(await isolateDataCenter(docker, input.labId, input.dataCenter)));
  return { targets, at: before.at, deadAt, evidence };
}

/**
 * A consumer group at work on one site: upstream until the disaster (it dies there), or on the DR
 * side, resumed at the given offsets, through the outage to the end of every partition.
 */
export async function consumeSite(input: ConsumeSiteInput): Promise<SiteConsumed> {
  const kafka = kafkaClient(input.bootstrap, 'consumer-1-disaster');
  return withHeartbeat(async (progress, signal) => {
    // a retry keeps where the first attempt resumed and what it saw first (the RTO mark): the group's commits have moved since
    const earlier = Context.current().info.heartbeatDetails as (LiveProgress & { resumedAt: Record<string, Offsets> }) | undefined;
    const resumedAt: Record<string, Record<number, number>> = { ...earlier?.resumedAt };
    for (const t of input.topics.filter((t) => !resumedAt[t])) {
      // a partition without a translated offset resumes at the end, as a new group's `latest` would
      const given = input.resumeAt?.[t];
      const at = given && { ...numbers(await topicEnds(kafka, t)), ...given };
      // what a moved consumer does: commit where it resumes, then join (a retry finds its own later commits)
      const committed = await committedOffsets(kafka, input.group, t);
      const move = !!at && (input.moveGroup || Object.values(committed).every((o) => o < 0));
      if (move) await setGroupOffsets(kafka, input.group, t, at);
      resumedAt[t] = move ? at : committed;
    }
    progress({ ...earlier, resumedAt });
    const r = await consumeLive(kafka, input.group, input.topics, {
      ...input,
      ...(earlier ? { earlier } : {}),
      progress: (p) => progress({ ...p, resumedAt }),
      signal,
    });
    return { ...r, resumedAt };
  });
}

/**
 * Reads the primary's surviving log (started alone, cut off the link), the mirrored topic and the
 * DR topic, the group's committed offsets on the primary, and the index; accounts for every record
 * of the run and gives RPO, RTO and the gates' verdicts.
 */
export async function accountDisaster(input: AccountDisasterInput): Promise<DisasterResult> {
  const primary = kafkaClient(input.primaryBootstrap, 'kafka-lab-disaster');
  const dr = kafkaClient(input.drBootstrap, 'kafka-lab-disaster');
  const ofRun = (headers: Record<string, unknown> | undefined) => {
    const h = readLabHeaders(headers);
    return h.runId === input.runId && h.seq !== undefined ? { seq: Number(h.seq), producedAt: Number(h.producedAt) } : undefined;
  };
  return withHeartbeat(async (progress, signal) => {
    const committedOnPrimary = await committedOffsets(primary, input.group, input.topic);
    const opts = { signal, groupPrefix: 'kafka-lab-disaster' };
    // each checkpoint judged against the offset syncs written up to it: they are on the primary's disks
    const states = await withOffsetSyncs(
      primary,
      input.topic,
      input.states.map((s) => ({
        ...s,
        committed: Math.max(committedOnPrimary[s.partition] ?? -1, Number(input.startOffsets.primary[s.partition] ?? 0)),
      })),
      opts,
    );
    const ledger = new DisasterLedger(input.upstream, input.dr, input.group, states, input.drGroupEnd, input.drGroupStart);
    // every record on the DR side decodes through the DR site's own registry
    const decode = wireDecoder(new SchemaRegistry({ host: input.drRegistryUrl }));
    const ids = new Set<number>();
    let undecodable = 0;
    const decodes = async (value: Buffer | null) => {
      if (value && value.length >= 5) ids.add(value.readInt32BE(1));
      const v = decode(value);
      if (!(v instanceof Promise ? await v : v)) undecodable++;
    };
    // replication latency up to the disaster: the mirrored copies' arrival (LogAppendTime) minus their produce time
    const admin = dr.admin();
    await admin.connect();
    const timestampType = await topicTimestampType(admin, input.mirroredTopic).finally(() => admin.disconnect());
    const latencyCheck = latencyAvailability(timestampType);
    const latency = new LatencyHistogram();
    // under IdentityReplicationPolicy the mirror's copies and the DR side's own records share one topic: told apart by seq
    const oneTopic = input.mirroredTopic === input.drTopic;
    const upstreamEnd = input.upstream.first + input.upstream.count;
    const drRecord = async (p: number, m: { offset: string; value: Buffer | null }, seq: number) => {
      ledger.drTopic(p, Number(m.offset), seq);
      await decodes(m.value);
    };
    // the mirror first: a record on the primary is stranded when the mirror never got it
    await readToEnd(
      dr,
      input.mirroredTopic,
      input.startOffsets.mirrored,
      async (p, m) => {
        const r = ofRun(m.headers);
        if (!r) return;
        if (r.seq >= upstreamEnd) return oneTopic ? drRecord(p, m, r.seq) : undefined;
        ledger.mirror(p, Number(m.offset), r.seq);
        if (Number.isFinite(r.producedAt)) latency.add(r.producedAt, Number(m.timestamp) - r.producedAt);
        await decodes(m.value);
      },
      opts,
    );
    progress({ read: 'mirrored' });
    await readToEnd(
      primary,
      input.topic,
      input.startOffsets.primary,
      (p, m) => {
        const r = ofRun(m.headers);
        if (r) ledger.primary(p, Number(m.offset), r.seq, r.producedAt);
      },
      opts,
    );
    progress({ read: 'primary' });
    if (!oneTopic)
      await readToEnd(
        dr,
        input.drTopic,
        input.startOffsets.dr,
        async (p, m) => {
          const r = ofRun(m.headers);
          if (r && r.seq >= upstreamEnd) await drRecord(p, m, r.seq);
        },
        opts,
      );
    // schema ids resolve on the DR side as they did on the primary before it died
    const mismatched: number[] = [];
    for (const id of ids) if ((await schemaById(input.drRegistryUrl, id)) !== input.schemaIds[id]) mismatched.push(id);
    const es = new Client({ node: input.elasticsearchUrl });
    await readIndex(
      es,
      input.index,
      input.runId,
      signal,
      (seq) => ledger.index(seq),
      (read) => progress({ indexed: read }),
    );
    // the index is fresh again when the first record written on the DR side is in it
    const indexFreshAt = await firstIndexedAt(es, input.index, input.runId, input.drTopic, input.dr.first);
    const accounting = ledger.result(input.bounds);
    // the data lost is what was produced up to the site's death, which took the kills' time after the disaster began
    const rpo = rpoFigures(ledger.stranded(), input.diedAt ?? input.disasterAt);
    const rto = rtoFigures({
      disasterAt: input.disasterAt,
      firstAckDr: input.firstAckDr,
      firstProcessedDr: input.firstProcessedDr,
      indexFreshAt,
    });
    const registry = { ids: [...ids].sort((a, b) => a - b), mismatched, undecodable };
    const problems = [
      ...disasterProblems(accounting, ledger.groupAccounting(input.bounds), input.mirroredTopic, input.drTopic),
      ...registryProblems(registry),
      ...disasterGateProblems(rpo, rto, input.disaster),
    ];
    return {
      accounting,
      rpo,
      rto,
      latency: latencyCheck.available ? latency.figures() : latencyUnavailable(latencyCheck.reason),
      committedOnPrimary,
      registry,
      problems,
    };
  });
}
