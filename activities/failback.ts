import { Client } from '@elastic/elasticsearch';
import { Context } from '@temporalio/activity';
import type { IHeaders } from 'kafkajs';
import { kafkaClient } from '../src/clients/kafka';
import {
  alterMirrorPositions,
  connectorState,
  createStoppedConnector,
  deleteConnector,
  failureTrace,
  mirrorLag,
  mirrorPositions,
  putConnectorConfigs,
  resetConnectorOffsets,
  restartFailedTasks,
  resumeConnector,
  stopConnector,
} from '../src/clients/connect';
import { createTopic } from '../src/kafka/create-topic';
import { committedOffsets } from '../src/kafka/consumer-group';
import { readToEnd } from '../src/kafka/topic-reader';
import { topicEnds } from '../src/kafka/topic-offsets';
import { checkpointsTopic, decodeCheckpoint } from '../src/mirror/checkpoints';
import {
  REVERSE_CHECKPOINT_CONNECTOR,
  REVERSE_SOURCE_CONNECTOR,
  reverseMirrorConnectorConfigs,
  SOURCE_CONNECTOR,
  TARGET_ALIAS,
} from '../src/mirror/connectors';
import { withOffsetSyncs } from '../src/mirror/offset-syncs';
import { SOURCE_ALIAS } from '../src/domain/names';
import { REPUBLISHED_HEADER, seqOfRun } from '../src/domain/lab-headers';
import { FailbackLedger, failbackFigures, failbackGateProblems, failbackProblems } from '../src/domain/failback';
import { readIndex } from '../src/verify/index-reader';
import { pollUntil } from '../src/util/poll';
import { sleep } from '../src/util/sleep';
import { withHeartbeat } from '../src/activity/heartbeat';
import { ConnectorRejectedError, FaultNotProvenError, TimedOutError } from '../src/errors';
import type { ConnectorState } from '../src/contracts/mirror';
import type {
  AccountFailbackInput,
  FailbackResult,
  MirrorResumed,
  MirrorStopped,
  ReconcileStrandedInput,
  ResumeMirrorInput,
  ReverseMirrored,
  ReverseMirrorInput,
  StopMirrorInput,
  StrandedReconciled,
  TranslateBackInput,
  TranslatedBack,
} from '../src/contracts/failback';

/**
 * The failback's activities: the forward mirror stopped before the primary returns, the stranded
 * records reconciled, a reverse mirror that brings back what the DR side took, the group's offsets
 * translated back, the forward mirror resumed past what the primary held, and every record of the
 * run accounted for on both sides. Each is idempotent: a retry finds the connectors, the offsets and
 * the records where the first attempt left them.
 */

const NO_HEADERS: Record<string, string> = {};

/** The forward mirror stops (its offsets kept), so the returning primary's stranded records are not copied on their own. */
export async function stopMirror(input: StopMirrorInput): Promise<MirrorStopped> {
  await stopConnector(input.connectUrl, SOURCE_CONNECTOR, NO_HEADERS);
  const earlier = Context.current().info.heartbeatDetails as { at: number } | undefined;
  const at = earlier?.at ?? Date.now();
  const state = await withHeartbeat((progress, signal) =>
    pollUntil(
      async () => {
        progress({ at });
        const s = await connectorState(input.connectUrl, SOURCE_CONNECTOR, false, NO_HEADERS);
        return s.state === 'STOPPED' && s.tasks.length === 0
          ? { done: true, value: s.state }
          : { done: false, detail: `${s.state}, tasks ${s.tasks.join(',') || 'none'}` };
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        signal,
        onProgress: () => progress({ at }),
        onTimeout: (d) => new FaultNotProvenError(`stopping ${SOURCE_CONNECTOR}`, `it reads ${d}`),
      },
    ),
  );
  const ends = await topicEnds(kafkaClient(input.downstreamBootstrap, 'kafka-lab-failback'), input.mirroredTopic);
  return { connector: SOURCE_CONNECTOR, at, state, mirroredEnd: ends };
}

/**
 * The primary's stranded records (acknowledged, on its disks, never mirrored), listed per
 * partition; under `republish` written again, as they were, to the DR cluster's own topic with a
 * `lab-republished` header, unless an earlier attempt already did.
 */
export async function reconcileStranded(input: ReconcileStrandedInput): Promise<StrandedReconciled> {
  const primary = kafkaClient(input.primaryBootstrap, 'kafka-lab-failback');
  const dr = kafkaClient(input.drBootstrap, 'kafka-lab-failback');
  const seqOf = (headers: IHeaders | undefined) => seqOfRun(headers, input.runId);
  return withHeartbeat(async (progress, signal) => {
    const opts = { signal, groupPrefix: 'kafka-lab-failback' };
    const ledger = new FailbackLedger(input.upstream, { first: 0, count: 0 }, input.action, { start: {}, end: {} }, [], []);
    await readToEnd(
      dr,
      input.mirroredTopic,
      input.startOffsets.mirrored,
      (p, m) => {
        const seq = seqOf(m.headers);
        if (seq !== undefined && Number(m.offset) < Number(input.mirroredEnd[p] ?? 0)) ledger.mirroredBeforeStop(seq);
      },
      opts,
    );
    const records: { partition: number; seq: number; key: Buffer | null; value: Buffer | null; headers: IHeaders }[] = [];
    const before = new Set<number>();
    await readToEnd(
      primary,
      input.topic,
      input.startOffsets.primary,
      (p, m) => {
        const seq = seqOf(m.headers);
        if (seq === undefined || Number(m.offset) >= Number(input.primaryEnd[p] ?? 0)) return;
        if (ledger.primaryBeforeReturn(p, Number(m.offset), seq))
          records.push({ partition: p, seq, key: m.key, value: m.value, headers: m.headers ?? {} });
      },
      opts,
    );
    progress({ stranded: records.length });
    const partitions = ledger.strandedList();
    if (input.action === 'report' || records.length === 0)
      return { action: input.action, records: records.length, partitions, republished: 0, alreadyThere: 0 };
    // a retry finds what an earlier attempt republished
    await readToEnd(
      dr,
      input.drTopic,
      {},
      (_p, m) => {
        const seq = seqOf(m.headers);
        if (seq !== undefined && m.headers?.[REPUBLISHED_HEADER] !== undefined) before.add(seq);
      },
      opts,
    );
    const todo = records.filter((r) => !before.has(r.seq));
    const producer = dr.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < todo.length; i += 500) {
        signal.throwIfAborted();
        const batch = todo.slice(i, i + 500);
        await producer.send({
          topic: input.drTopic,
          acks: -1,
          messages: batch.map((r) => ({
            partition: r.partition,
            key: r.key,
            value: r.value,
            headers: { ...r.headers, [REPUBLISHED_HEADER]: '1' },
          })),
        });
        progress({ republished: i + batch.length });
      }
    } finally {
      await producer.disconnect();
    }
    return {
      action: input.action,
      records: records.length,
      partitions,
      republished: todo.length,
      alreadyThere: records.length - todo.length,
    };
  });
}

/**
 * The reverse mirror: MirrorMaker 2 from the DR cluster to the primary (its own alias and
 * checkpoints), registered on the Connect workers next to the DR cluster, and waited for until its
 * committed positions reach the DR topic's end (lag zero, as Amazon MSK's failback runbook gates on).
 */
export async function reverseMirror(input: ReverseMirrorInput): Promise<ReverseMirrored> {
  const configs = reverseMirrorConnectorConfigs({
    sourceBootstrap: input.sourceBootstrap,
    targetBootstrap: input.targetBootstrap,
    topic: input.topic,
    partitions: input.partitions,
    replicationFactor: input.replicationFactor,
    tuning: input.tuning,
    replicationPolicy: input.replicationPolicy,
  });
  await createTopic({
    bootstrap: input.targetHostBootstrap,
    topic: input.reverseTopic,
    partitions: input.partitions,
    replicationFactor: input.replicationFactor,
    configs: { 'message.timestamp.type': 'LogAppendTime' },
  });
  // where the copy begins on the primary (a kept lab's earlier failback left records there), before the first is copied
  const earlier = Context.current().info.heartbeatDetails as { registeredAt: number; startOffsets: Record<number, string> } | undefined;
  const startOffsets =
    earlier?.startOffsets ?? (await topicEnds(kafkaClient(input.targetHostBootstrap, 'kafka-lab-failback'), input.reverseTopic));
  const registeredAt = earlier?.registeredAt ?? Date.now();
  Context.current().heartbeat({ registeredAt, startOffsets });
  const sourceEnd = await topicEnds(kafkaClient(input.sourceHostBootstrap, 'kafka-lab-failback'), input.topic);
  const from = (p: string) => Number(input.from?.[Number(p)] ?? 0);
  return withHeartbeat(async (progress, signal) => {
    const beat = (d: unknown) => progress({ registeredAt, startOffsets, d });
    // the copy starts where the DR side's own records begin: created stopped, placed there, then started
    const { [REVERSE_SOURCE_CONNECTOR]: source, ...others } = configs;
    let state = (await connectorState(input.connectUrl, REVERSE_SOURCE_CONNECTOR, true, NO_HEADERS)).state;
    if (state === 'UNASSIGNED') {
      await createStoppedConnector(input.connectUrl, REVERSE_SOURCE_CONNECTOR, source, NO_HEADERS);
      state = await pollUntil(
        async () => {
          const s = await connectorState(input.connectUrl, REVERSE_SOURCE_CONNECTOR, true, NO_HEADERS);
          return s.state === 'STOPPED' ? { done: true, value: s.state } : { done: false, detail: s.state };
        },
        {
          timeoutMs: 60_000,
          intervalMs: 500,
          signal,
          onProgress: beat,
          onTimeout: (d) => new TimedOutError(`creating ${REVERSE_SOURCE_CONNECTOR} stopped`, d),
        },
      );
    }
    if (state === 'STOPPED') {
      await resetConnectorOffsets(input.connectUrl, REVERSE_SOURCE_CONNECTOR, NO_HEADERS);
      const positions = Object.keys(sourceEnd)
        .filter((p) => from(p) > 0)
        .map((p) => ({ topic: input.topic, partition: Number(p), offset: from(p) - 1 }));
      if (positions.length) await alterMirrorPositions(input.connectUrl, REVERSE_SOURCE_CONNECTOR, TARGET_ALIAS, positions, NO_HEADERS);
      await resumeConnector(input.connectUrl, REVERSE_SOURCE_CONNECTOR, NO_HEADERS);
    }
    await putConnectorConfigs(input.connectUrl, others, NO_HEADERS, new Set());
    const restarted = new Set<string>();
    const connectors = await pollUntil<ConnectorState[]>(
      async () => {
        const states = await Promise.all(Object.keys(configs).map((n) => connectorState(input.connectUrl, n, true, NO_HEADERS)));
        const failed = states.find((s) => s.state === 'FAILED' || s.tasks.includes('FAILED'));
        // a task of an earlier connector of this name may have failed as it was removed: its status lingers, so restart once
        if (failed && !restarted.has(failed.name)) {
          restarted.add(failed.name);
          await restartFailedTasks(input.connectUrl, failed.name, NO_HEADERS);
          return { done: false, detail: `${failed.name} restarted after a FAILED status` };
        }
        if (failed)
          throw new ConnectorRejectedError(
            failed.name,
            `connector or task FAILED: ${await failureTrace(input.connectUrl, failed.name, NO_HEADERS)}`,
          );
        const running = states.every((s) => s.state === 'RUNNING' && s.tasks.every((t) => t === 'RUNNING'));
        return running ? { done: true, value: states } : { done: false, detail: states.map((s) => `${s.name} ${s.state}`).join('; ') };
      },
      {
        timeoutMs: 120_000,
        intervalMs: 1000,
        signal,
        onProgress: beat,
        onTimeout: (d) => new TimedOutError('the reverse mirror starting', d),
      },
    );
    // lag zero: every partition copied to the DR topic's end (a position is the last record copied)
    await pollUntil(
      async () => {
        const at = await mirrorPositions(input.connectUrl, REVERSE_SOURCE_CONNECTOR, NO_HEADERS);
        const lag = mirrorLag(at, input.topic, sourceEnd, input.from);
        return lag ? { done: false, detail: `lag ${lag}` } : { done: true, value: undefined };
      },
      {
        timeoutMs: input.timeoutSeconds * 1000,
        intervalMs: 1000,
        signal,
        onProgress: beat,
        onTimeout: (d) =>
          new TimedOutError(`the reverse mirror (${REVERSE_SOURCE_CONNECTOR}) catching up`, d, 'read the Connect worker log'),
      },
    );
    return {
      connectors,
      registeredAt,
      startOffsets,
      copied: Object.entries(sourceEnd).reduce((n, [p, end]) => n + Math.max(0, Number(end) - from(p)), 0),
      caughtUpAt: Date.now(),
      sourceEnd: Object.fromEntries(Object.entries(sourceEnd).map(([p, o]) => [p, Number(o)])),
    };
  });
}

/**
 * The group's offsets on the DR topic translated into the reverse-mirrored topic on the primary:
 * the reverse checkpoint connector's newest checkpoint per partition, waited for until it checkpoints
 * the offsets the group committed last.
 */
export async function translateBack(input: TranslateBackInput): Promise<TranslatedBack> {
  const committedDr = await committedOffsets(kafkaClient(input.drBootstrap, 'kafka-lab-failback'), input.group, input.drTopic);
  const wanted = Object.entries(committedDr).filter(([, o]) => o > 0);
  const primary = kafkaClient(input.primaryBootstrap, 'kafka-lab-failback');
  return withHeartbeat((progress, signal) =>
    pollUntil(
      async () => {
        const translated: TranslatedBack['translated'] = {};
        await readToEnd(
          primary,
          checkpointsTopic(TARGET_ALIAS),
          {},
          (_p, m) => {
            if (!m.key || !m.value) return;
            const c = decodeCheckpoint(m.key, m.value);
            if (c.group !== input.group || c.topic !== input.reverseTopic) return;
            translated[c.partition] = { upstreamOffset: c.upstreamOffset, downstreamOffset: c.downstreamOffset, at: Number(m.timestamp) };
          },
          { signal, groupPrefix: 'kafka-lab-checkpoints' },
        ).catch((e: Error) => {
          // the checkpoints topic appears with the connector's first checkpoint
          if (!/does not host this topic-partition|UNKNOWN_TOPIC|not exist/i.test(e.message)) throw e;
        });
        const behind = wanted.filter(([p, o]) => translated[Number(p)]?.upstreamOffset !== o);
        return behind.length === 0
          ? { done: true, value: { committedDr, translated } }
          : { done: false, detail: `no checkpoint yet of ${behind.map(([p, o]) => `p${p}:${o}`).join(' ')}` };
      },
      {
        timeoutMs: input.timeoutSeconds * 1000,
        intervalMs: 2000,
        signal,
        onProgress: progress,
        onTimeout: (d) =>
          new TimedOutError(
            `the reverse checkpoint connector (${REVERSE_CHECKPOINT_CONNECTOR}) translating group ${input.group}`,
            d,
            'read the Connect worker log',
          ),
      },
    ),
  );
}

/**
 * The forward mirror resumes where the primary stood when it returned (what it held before is
 * mirrored, stranded or in flight, and stays where the failback put it), catches up with the
 * primary's topic, and the reverse mirror is removed: one direction again, as in the chapter.
 */
export async function resumeMirror(input: ResumeMirrorInput): Promise<MirrorResumed> {
  const earlier = Context.current().info.heartbeatDetails as { at: number } | undefined;
  // one direction at a time: under IdentityReplicationPolicy nothing else stops the two mirrors copying each other's copies
  const removed = [REVERSE_SOURCE_CONNECTOR, REVERSE_CHECKPOINT_CONNECTOR];
  for (const name of removed) await deleteConnector(input.connectUrl, name, NO_HEADERS);
  await pollUntil(
    async () => {
      const left = (await Promise.all(removed.map((n) => connectorState(input.connectUrl, n, false, NO_HEADERS)))).filter(
        (s) => s.state !== 'UNASSIGNED',
      );
      return left.length === 0
        ? { done: true, value: undefined }
        : { done: false, detail: left.map((s) => `${s.name} ${s.state}`).join(', ') };
    },
    {
      timeoutMs: 60_000,
      intervalMs: 500,
      onTimeout: (d) => new TimedOutError('removing the reverse mirror', d, 'read the Connect worker log'),
    },
  );
  const state = await connectorState(input.connectUrl, SOURCE_CONNECTOR, false, NO_HEADERS);
  // a retry finds it running already: its positions moved on
  if (state.state === 'STOPPED') {
    const positions = Object.entries(input.from)
      .filter(([, o]) => Number(o) > 0)
      .map(([p, o]) => ({ topic: input.topic, partition: Number(p), offset: Number(o) - 1 }));
    await alterMirrorPositions(input.connectUrl, SOURCE_CONNECTOR, SOURCE_ALIAS, positions, NO_HEADERS);
    await resumeConnector(input.connectUrl, SOURCE_CONNECTOR, NO_HEADERS);
  }
  const at = earlier?.at ?? Date.now();
  const end = await topicEnds(kafkaClient(input.primaryBootstrap, 'kafka-lab-failback'), input.topic);
  return withHeartbeat(async (progress, signal) => {
    const positions = await pollUntil(
      async () => {
        progress({ at });
        const s = await connectorState(input.connectUrl, SOURCE_CONNECTOR, false, NO_HEADERS);
        if (s.state !== 'RUNNING' || s.tasks.length === 0 || s.tasks.some((t) => t !== 'RUNNING'))
          return { done: false, detail: `${s.state}, tasks ${s.tasks.join(',') || 'none'}` };
        const pos = await mirrorPositions(input.connectUrl, SOURCE_CONNECTOR, NO_HEADERS);
        const lag = mirrorLag(pos, input.topic, end, input.from);
        return lag ? { done: false, detail: `lag ${lag}` } : { done: true, value: pos };
      },
      {
        timeoutMs: input.timeoutSeconds * 1000,
        intervalMs: 1000,
        signal,
        onProgress: () => progress({ at }),
        onTimeout: (d) =>
          new TimedOutError(`the forward mirror (${SOURCE_CONNECTOR}) catching up after failback`, d, 'read the Connect worker log'),
      },
    );
    return { at, caughtUpAt: Date.now(), positions, removed };
  });
}

/**
 * Reads both sides after the failback and accounts for every record of the run: the stranded,
 * what the reverse mirror brought back, what the producers wrote to the primary and the forward
 * mirror carried, the group's positions on the primary (judged against the reverse offset syncs),
 * and the index.
 */
export async function accountFailback(input: AccountFailbackInput): Promise<FailbackResult> {
  const primary = kafkaClient(input.primaryBootstrap, 'kafka-lab-failback');
  const dr = kafkaClient(input.drBootstrap, 'kafka-lab-failback');
  const seqOf = (headers: IHeaders | undefined) => seqOfRun(headers, input.runId);
  return withHeartbeat(async (progress, signal) => {
    const opts = { signal, groupPrefix: 'kafka-lab-failback' };
    // each reverse checkpoint judged against the reverse offset syncs (on the DR cluster, its source)
    const judged = await withOffsetSyncs(
      dr,
      input.drTopic,
      input.reverseStates.map((s) => ({ ...s, checkpoint: s.checkpoint && { ...s.checkpoint, at: Number.MAX_SAFE_INTEGER } })),
      { ...opts, targetAlias: SOURCE_ALIAS },
    );
    const reverseStates = judged.map((s) => ({
      partition: s.partition,
      resumedAt: s.resumedAt,
      end: s.end,
      ...(s.checkpoint
        ? { checkpoint: { upstreamOffset: s.checkpoint.upstreamOffset, downstreamOffset: s.checkpoint.downstreamOffset } }
        : {}),
      ...(s.syncs
        ? {
            syncs: {
              nearest: s.syncs.nearest,
              bestDownstream: s.syncs.bestDownstream,
              ...(s.syncs.used !== undefined ? { used: s.syncs.used } : {}),
            },
          }
        : {}),
    }));
    const ledger = new FailbackLedger(input.upstream, input.failback, input.action, input.drGroup, reverseStates, input.primaryStates);
    const read = async (
      kafka: typeof primary,
      topic: string,
      from: Record<number, string>,
      each: (p: number, offset: number, seq: number, h: IHeaders) => void,
    ) =>
      readToEnd(
        kafka,
        topic,
        from,
        (p, m) => {
          const seq = seqOf(m.headers);
          if (seq !== undefined) each(p, Number(m.offset), seq, m.headers ?? {});
        },
        opts,
      );
    // Under IdentityReplicationPolicy each side has one topic: the mirror's copies, the DR side's own records (and the
    // republished) and the reverse mirror's copies share it, told apart by offset, seq and the republished header.
    const oneTopic = input.reverseTopic === input.topic;
    // the mirror first: a record on the primary is stranded when the mirror had not got it when it stopped
    await read(dr, input.mirroredTopic, input.startOffsets.mirrored, (p, offset, seq, h) => {
      if (h[REPUBLISHED_HEADER] !== undefined) return;
      if (offset < Number(input.mirroredEnd[p] ?? 0)) ledger.mirroredBeforeStop(seq);
      else ledger.mirroredAfterResume(seq);
    });
    progress({ read: 'mirrored' });
    // the DR side's records before the copies of them: the group's work there decides what it processes twice
    await read(dr, input.drTopic, input.startOffsets.dr, (p, offset, seq, h) =>
      ledger.drTopic(p, offset, seq, h[REPUBLISHED_HEADER] !== undefined),
    );
    await read(primary, input.topic, input.startOffsets.primary, (p, offset, seq) => {
      if (offset < Number(input.primaryEnd[p] ?? 0)) ledger.primaryBeforeReturn(p, offset, seq);
      else if (seq >= input.failback.first) ledger.primaryAfterReturn(p, offset, seq);
      else if (oneTopic) ledger.reverse(p, offset, seq);
    });
    progress({ read: 'primary' });
    if (!oneTopic) await read(primary, input.reverseTopic, input.startOffsets.reverse, (p, offset, seq) => ledger.reverse(p, offset, seq));
    progress({ read: 'reverse' });
    // consumer-2 indexes what the DR side received after the failback: read again (for a minute at most) until it has the lot
    const es = new Client({ node: input.elasticsearchUrl });
    const deadline = Date.now() + 60_000;
    for (;;) {
      await readIndex(
        es,
        input.index,
        input.runId,
        signal,
        (seq) => ledger.index(seq),
        (n) => progress({ indexed: n }),
      );
      if (ledger.result().index.missing === 0 || Date.now() > deadline) break;
      await sleep(2000, signal);
    }
    const accounting = ledger.result();
    const figures = failbackFigures({ ...input.marks, reverse: input.reverse });
    const problems = [
      ...failbackProblems(accounting, input.reverseTopic, input.mirroredTopic),
      ...failbackGateProblems(figures, input.maxFailbackSeconds),
    ];
    return { accounting, figures, problems };
  });
}
