import { Context } from '@temporalio/activity';
import { kafkaClient } from '../src/clients/kafka';
import { connectDocker } from '../src/docker/docker-client';
import { FailoverLedger, failoverProblems } from '../src/domain/failover';
import { readLabHeaders } from '../src/domain/lab-headers';
import { dataCenterContainers, killContainer, mainProcess, startContainer } from '../src/lab/faults';
import { checkpointsTopic, decodeCheckpoint } from '../src/mirror/checkpoints';
import { readToEnd } from '../src/kafka/topic-reader';
import { CHECKPOINT_CONNECTOR } from '../src/mirror/connectors';
import { withOffsetSyncs } from '../src/mirror/offset-syncs';
import { connectorState } from '../src/clients/connect';
import { pollUntil } from '../src/util/poll';
import { sleep } from '../src/util/sleep';
import { withHeartbeat } from '../src/activity/heartbeat';
import { committedOffsets, consumeAsGroup, setGroupOffsets } from '../src/kafka/consumer-group';
import type {
  AccountFailoverInput,
  ConsumeDownstreamInput,
  ConsumedDownstream,
  ConsumedUpstream,
  ConsumeUpstreamInput,
  DataCenterChange,
  DataCenterInput,
  FailoverResult,
  Offsets,
  PreparedGroup,
  PrepareGroupInput,
  TranslatedOffsets,
  TranslateInput,
} from '../src/contracts/failover';
import { TimedOutError } from '../src/errors';

/**
 * The failover drill's activities: a consumer group works through the run upstream and commits as
 * it goes; upstream goes down; the group's offsets are translated from MirrorMaker 2's checkpoints
 * and it resumes downstream; upstream comes back; then the accounting. Each is idempotent: the
 * group's own committed offsets are the state a retry resumes from.
 */

/**
 * Before the load: the group commits the topic's current end (where the run will begin), and the
 * checkpoint connector gets a running task for it, so its offset-sync store follows the whole
 * run live instead of loading it later (a store that loads syncs at start keeps only the newest).
 */
export async function prepareFailoverGroup(input: PrepareGroupInput): Promise<PreparedGroup> {
  const kafka = kafkaClient(input.bootstrap, 'consumer-1-failover');
  return withHeartbeat(async (progress, signal) => {
    let current = await committedOffsets(kafka, input.group, input.topic);
    if (Object.values(current).every((o) => o < 0)) {
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(input.topic).finally(() => admin.disconnect());
      current = Object.fromEntries(ends.map((p) => [p.partition, Number(p.high)]));
      await setGroupOffsets(kafka, input.group, input.topic, current);
    }
    await pollUntil(
      async () => {
        const s = await connectorState(input.connectUrl, CHECKPOINT_CONNECTOR, false, {});
        return s.tasks.includes('RUNNING')
          ? { done: true, value: undefined }
          : { done: false, detail: `${s.state}, tasks ${s.tasks.join(',') || 'none'}` };
      },
      {
        timeoutMs: 120_000,
        intervalMs: 1000,
        signal,
        onProgress: progress,
        onTimeout: (d) =>
          new TimedOutError(
            `${CHECKPOINT_CONNECTOR} starting a task for group ${input.group}`,
            d,
            'check the checkpoint connector is RUNNING and its groups pattern matches the group',
          ),
      },
    );
    return { startOffsets: current };
  });
}

/** The group processes the first half of the run upstream, committing as it goes, and waits for the outage there. */
export async function consumeUpstream(input: ConsumeUpstreamInput): Promise<ConsumedUpstream> {
  const kafka = kafkaClient(input.bootstrap, 'consumer-1-failover');
  return withHeartbeat(async (progress, signal) => {
    const r = await consumeAsGroup(kafka, input.group, input.topic, { stopAt: input.stopAt, progress, signal });
    if (input.untilMs > Date.now()) await sleep(input.untilMs - Date.now(), signal);
    return { committed: r.committed, processed: r.processed };
  });
}

/** The data center goes down: every broker of it (and Connect workers placed there) SIGKILLed. */
export async function dataCenterDown(input: DataCenterInput): Promise<DataCenterChange> {
  const docker = await connectDocker();
  const targets = await dataCenterContainers(docker, input.labId, input.dataCenter);
  // The processes about to die go into the heartbeat first, in one (the first is sent at once): a
  // retry that finds them dead knows who killed them.
  const ctx = Context.current();
  let killed = ctx.info.heartbeatDetails as Record<string, string> | undefined;
  if (!killed) {
    killed = {};
    for (const name of targets) {
      const p = await mainProcess(docker, name);
      if (p.running) killed[name] = p.startedAt;
    }
    ctx.heartbeat(killed);
  }
  const evidence: string[] = [];
  for (const name of targets) {
    const earlier = killed[name];
    evidence.push(await killContainer(docker, name, { killedEarlier: earlier ? { startedAt: earlier } : undefined }));
  }
  return { targets, at: Date.now(), evidence };
}

/** The data center comes back (or its brokers alone): its containers started, and its cluster serving the topic again. Idempotent. */
export async function dataCenterUp(input: DataCenterInput): Promise<DataCenterChange> {
  const docker = await connectDocker();
  const targets = await dataCenterContainers(docker, input.labId, input.dataCenter, input.brokersOnly ? 'brokers' : 'outage');
  const evidence: string[] = [];
  for (const name of targets) evidence.push(await startContainer(docker, name));
  const at = Date.now();
  if (input.bootstrap && input.topic) {
    const admin = kafkaClient(input.bootstrap, 'kafka-lab-failover').admin();
    await withHeartbeat((progress, signal) =>
      pollUntil(
        async () => {
          try {
            await admin.connect();
            const meta = await admin.fetchTopicMetadata({ topics: [input.topic!] });
            const leaderless = meta.topics[0].partitions.filter((p) => p.leader < 0).length;
            return leaderless === 0
              ? { done: true, value: undefined }
              : { done: false, detail: `${leaderless} partition(s) without a leader` };
          } catch (e) {
            return { done: false, detail: (e as Error).message };
          }
        },
        {
          timeoutMs: 180_000,
          intervalMs: 1000,
          signal,
          onProgress: progress,
          onTimeout: (d) => new TimedOutError(`the ${input.dataCenter} cluster coming back`, d, "read its brokers' logs (docker logs)"),
        },
      ),
    ).finally(() => admin.disconnect());
  }
  return { targets, at, evidence };
}

/** The group's newest checkpoint per partition of the mirrored topic, read from the target cluster. */
export async function translateGroupOffsets(input: TranslateInput): Promise<TranslatedOffsets> {
  const kafka = kafkaClient(input.bootstrap, 'consumer-1-failover');
  const out: TranslatedOffsets = {};
  await withHeartbeat((_progress, signal) =>
    readToEnd(
      kafka,
      checkpointsTopic(),
      {},
      (_partition, m) => {
        if (!m.key || !m.value) return;
        const c = decodeCheckpoint(m.key, m.value);
        if (c.group !== input.group || c.topic !== input.mirroredTopic) return;
        // read in offset order: the last one wins, as it does for RemoteClusterUtils
        out[c.partition] = {
          upstreamOffset: c.upstreamOffset,
          downstreamOffset: c.downstreamOffset,
          at: Number(m.timestamp),
          ageSeconds: Math.max(0, (input.outageAt - Number(m.timestamp)) / 1000),
        };
      },
      { signal, groupPrefix: 'kafka-lab-checkpoints' },
    ),
  );
  return out;
}

/** The group, moved downstream, resumes at the translated offsets and works through to the end. */
export async function consumeDownstream(input: ConsumeDownstreamInput): Promise<ConsumedDownstream> {
  const kafka = kafkaClient(input.bootstrap, 'consumer-1-failover');
  return withHeartbeat(async (progress, signal) => {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(input.mirroredTopic).finally(() => admin.disconnect());
    const end: Offsets = Object.fromEntries(ends.map((p) => [p.partition, Number(p.high)]));
    const resumedAt: Offsets = Object.fromEntries(
      ends.map((p) => [p.partition, Math.min(Number(p.high), (input.resumeAt[p.partition] ?? Number(p.high)) + input.skew)]),
    );
    // What a moved consumer does: commit the translated offsets for its group, then join it.
    await setGroupOffsets(kafka, input.group, input.mirroredTopic, resumedAt);
    const behind = Object.fromEntries(Object.entries(end).filter(([p, e]) => e > resumedAt[Number(p)]));
    const r =
      Object.keys(behind).length === 0
        ? { firstOffsets: {}, processed: 0 }
        : await consumeAsGroup(kafka, input.group, input.mirroredTopic, { stopAt: behind, progress, signal });
    return { resumedAt, end, startedAt: r.firstOffsets, processed: r.processed };
  });
}

/**
 * Reads the run upstream (what the group processed there: below its committed offsets) and the
 * mirrored range the group went through downstream, and accounts for every message of the run.
 */
export async function accountFailover(input: AccountFailoverInput): Promise<FailoverResult> {
  const ofRun = (headers: Record<string, unknown> | undefined) => {
    const h = readLabHeaders(headers);
    return h.runId === input.runId && h.generation === '1' && h.seq !== undefined ? Number(h.seq) : undefined;
  };
  const ledger = await withHeartbeat(async (_progress, signal) => {
    // each checkpoint judged against the offset syncs written up to it
    const states = await withOffsetSyncs(kafkaClient(input.upstreamBootstrap, 'consumer-1-failover'), input.topic, input.states, {
      signal,
      groupPrefix: 'kafka-lab-failover',
    });
    const ledger = new FailoverLedger(input.group, input.range, states);
    await readToEnd(
      kafkaClient(input.upstreamBootstrap, 'consumer-1-failover'),
      input.topic,
      input.startOffsets,
      (partition, m) => {
        const seq = ofRun(m.headers);
        if (seq !== undefined) ledger.upstream(partition, Number(m.offset), seq);
      },
      { signal, groupPrefix: 'kafka-lab-failover' },
    );
    await readToEnd(
      kafkaClient(input.downstreamBootstrap, 'consumer-1-failover'),
      input.mirroredTopic,
      Object.fromEntries(input.states.map((s) => [s.partition, String(s.resumedAt)])),
      (partition, m) => {
        const seq = ofRun(m.headers);
        if (seq !== undefined) ledger.downstream(partition, Number(m.offset), seq);
      },
      { signal, groupPrefix: 'kafka-lab-failover' },
    );
    return ledger;
  });
  const accounting = ledger.result(input.bounds, (seq) => seq % input.partitions);
  return { accounting, problems: failoverProblems(accounting, input.mirroredTopic) };
}
