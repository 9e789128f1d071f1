import { CatchUp, keepsUpProblem, type CatchUpState } from '../src/domain/catch-up';
import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Context } from '@temporalio/activity';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaClient } from '../src/clients/kafka';
import { consumerGroupLag } from '../src/clients/lag';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import { accountingProblems, DeliveryLedger, expectedCount, latencyUnavailable, type LedgerState } from '../src/domain/accounting';
import { LatencyHistogram, type HistogramState } from '../src/domain/latency-histogram';
import { openTopicReader, topicEnds, unreadBehind, type TopicReader } from '../src/kafka/topic-reader';
import { TimedOutError, VerifierBehindError } from '../src/errors';
import { topicTimestampType, windowStart } from '../src/kafka/topic-offsets';
import { countIndexed, readIndex } from '../src/verify/index-reader';
import { wireDecoder } from '../src/schema/wire';
import { pollUntil } from '../src/util/poll';
import { contentJudge, latencyAvailability, latencyMs, untestedFaults } from '../src/verify/judge';
import { withHeartbeat } from '../src/activity/heartbeat';
import { stepProgressReporter } from '../src/activity/step-progress';
import { scanRunRecords, toRunRecord } from '../src/kafka/run-records';
import type { VerifyInput, VerifyOutput } from '../src/contracts/verify';

/** What a retried verifier needs to go on where the last attempt stopped, kept in its heartbeat. */
interface VerifyCheckpoint {
  ledger: LedgerState;
  latency: HistogramState;
  during: HistogramState;
  after: HistogramState;
  catchUp?: CatchUpState;
  /** Records found produced in each fault's window, in the input's order. */
  perFault?: number[];
}

/**
 * Streams the mirrored topic and then the Elasticsearch index through a ledger of a few bits per
 * message, until every produced message is there (and consumer-1 has caught up) or the deadline
 * passes; then accounts for every message. Memory stays flat in the number of records. Never
 * sleeps a fixed time: it stops as soon as the evidence is complete. The mirrored-topic state goes
 * into the heartbeat while it is small (a healthy run is a few ranges), so a retry resumes there.
 */
export async function verifyDelivery(input: VerifyInput): Promise<VerifyOutput> {
  // Heartbeats from the first call to the last: decoding and reading the index take time too.
  return withHeartbeat((progress, signal) => verify(input, progress, signal));
}

async function verify(input: VerifyInput, progress: (d: unknown) => void, signal: AbortSignal): Promise<VerifyOutput> {
  const started = Date.now();
  const a = input.access;
  const kafka = kafkaClient(input.downstreamBootstrap, 'kafka-lab-verify', kafkaAccessOptions(a?.downstream, 'downstream'));
  const upstream = kafkaClient(input.upstreamBootstrap, 'kafka-lab-verify', kafkaAccessOptions(a?.upstream, 'upstream'));
  const es = new Client({ node: input.elasticsearchUrl, headers: httpAuthHeaders(a?.elasticsearch, 'Elasticsearch') });
  const registry = new SchemaRegistry({ host: input.schemaRegistryUrl, auth: basicAuth(a?.schemaRegistry) });
  const decode = wireDecoder(registry);
  const altered = contentJudge(input.runId, input.schemas);
  const want = expectedCount(input.expected);

  const saved = Context.current().info.heartbeatDetails as { checkpoint?: VerifyCheckpoint } | undefined;
  const ledger = saved?.checkpoint ? DeliveryLedger.restore(input.expected, saved.checkpoint.ledger) : new DeliveryLedger(input.expected);
  const histogram = (s?: HistogramState) => (s ? LatencyHistogram.from(s) : new LatencyHistogram());
  const latency = histogram(saved?.checkpoint?.latency);
  const during = histogram(saved?.checkpoint?.during);
  const after = histogram(saved?.checkpoint?.after);
  const windows = input.faultWindows ?? [];
  const lastFaultEnd = Math.max(...windows.map((w) => w.to));
  const catchUp = new CatchUp(lastFaultEnd, saved?.checkpoint?.catchUp);
  const perFault = saved?.checkpoint?.perFault ?? windows.map(() => 0);
  const resumed = ledger.mirrored;
  let peakRss = process.memoryUsage().rss;
  const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

  const admin = kafka.admin();
  await admin.connect();
  const upAdmin = upstream.admin();
  await upAdmin.connect();
  const timestampType = await topicTimestampType(admin, input.mirroredTopic);
  const start = {
    ...(await windowStart(admin, input.mirroredTopic, input.sinceMs)),
    ...Object.fromEntries([...ledger.positions()].map(([p, o]) => [p, String(o)])),
  };
  const onRecord = (partition: number, m: KafkaMessage) => {
    const r = toRunRecord(m, partition, input.runId);
    if (!r) return;
    const take = (value: Record<string, unknown> | undefined) => {
      ledger.observe({ seq: r.seq, partition, offset: r.offset, altered: altered(r.seq, r.generation, value) });
      latency.add(r.producedAt, latencyMs(r));
      if (windows.length === 0) return; // no faults: no phases to tell apart
      // once per record read (millions): count in place, no array per record
      let inAny = false;
      for (let i = 0; i < windows.length; i++) {
        if (r.producedAt < windows[i].from || r.producedAt > windows[i].to) continue;
        perFault[i]++;
        inAny = true;
      }
      if (inAny) during.add(r.producedAt, latencyMs(r));
      else if (r.producedAt > lastFaultEnd) after.add(r.producedAt, latencyMs(r));
      catchUp.add(partition, r.producedAt, r.producedAt + latencyMs(r));
    };
    const value = decode(r.value);
    return value instanceof Promise ? value.then(take) : take(value);
  };
  const reader = await openTopicReader(kafka, input.mirroredTopic, start, onRecord, { groupPrefix: `kafka-lab-verify-${input.runId}` });

  const reportSeen = stepProgressReporter(input.step, 'mirrored', want);
  let consumer1Lag = -1;
  let checkpoint: VerifyCheckpoint | undefined;
  let readOn: number | undefined;
  try {
    // Until the evidence is complete, or the deadline: then the accounting says what is missing.
    const deadline = started + input.deadlineSeconds * 1000;
    await pollUntil(
      async () => {
        sampleMemory();
        const indexed = await countIndexed(es, input.index, input.runId);
        consumer1Lag = await consumerGroupLag(upAdmin, input.upstreamGroup, input.topic);
        const state = ledger.save();
        checkpoint = state && {
          ledger: state,
          latency: latency.toJSON(),
          during: during.toJSON(),
          after: after.toJSON(),
          catchUp: catchUp.toJSON(),
          perFault,
        };
        progress({ phase: 'mirrored topic', mirrored: ledger.mirrored, indexed, expected: want, consumer1Lag, checkpoint });
        reportSeen(ledger.mirrored, `indexed ${indexed.toLocaleString('en-US')}`);
        const complete = ledger.mirrored >= want && indexed >= want && consumer1Lag === 0;
        if (complete || Date.now() >= deadline) return { done: true, value: undefined };
        return { done: false, detail: JSON.stringify({ mirrored: ledger.mirrored, indexed, expected: want, consumer1Lag }) };
      },
      {
        timeoutMs: input.deadlineSeconds * 1000 + 60_000,
        // a small run is mirrored and indexed within a second; a large one checks (and checkpoints) once a second
        firstIntervalMs: 200,
        intervalMs: 1000,
        signal,
        onTimeout: (last) => new TimedOutError('verification', last),
      },
    );
    // What the mirrored topic holds now is read before anything is judged: at the deadline a slow
    // reader's backlog is downstream, not lost; with --fail-on-duplicates a copy behind the last
    // distinct message is still counted. Records that arrive after this are not waited for.
    readOn = await readOnToEnds(reader, admin, input.mirroredTopic, ledger.mirrored < want || input.failOnDuplicates, signal, (d) =>
      progress({ phase: 'reading on to the end', ...d, checkpoint }),
    );
    // Something is missing downstream: the upstream topic tells whether it was ever written there.
    if (ledger.mirrored < want)
      await findLostUpstream(upstream, upAdmin, input, ledger, signal, () => progress({ phase: 'upstream topic', checkpoint }));
  } finally {
    await reader.close();
    await admin.disconnect();
    await upAdmin.disconnect();
  }

  const reportRead = stepProgressReporter(input.step, 'read back from the index', want);
  await readIndex(
    es,
    input.index,
    input.runId,
    signal,
    (seq, generation, doc) => {
      ledger.index({ seq, altered: altered(seq, generation, doc) });
    },
    (read) => {
      sampleMemory();
      // the mirrored topic's checkpoint stays: a retry then only reads the index again
      progress({ phase: 'index', read, expected: want, checkpoint });
      reportRead(read);
    },
  );
  sampleMemory();
  const accounting = ledger.result();
  const problems = accountingProblems(accounting, { failOnDuplicates: input.failOnDuplicates });
  if (consumer1Lag !== 0) problems.push(`consumer-1 lag is ${consumer1Lag}, not 0`);
  problems.push(...untestedFaults(windows, perFault));
  const latencyCheck = latencyAvailability(timestampType);
  // arrival times are the mirrored records' LogAppendTime: without it there is no catch-up to judge
  const caughtUp = windows.length && latencyCheck.available ? catchUp.figures() : undefined;
  const slow = caughtUp && input.loadRate ? keepsUpProblem(caughtUp, input.loadRate) : undefined;
  if (slow) problems.push(slow);
  return {
    accounting,
    latency: latencyCheck.available ? latency.figures() : latencyUnavailable(latencyCheck.reason),
    latencyByPhase: windows.length && latencyCheck.available ? { during: during.figures(), after: after.figures() } : undefined,
    catchUp: caughtUp,
    ...(windows.length ? { perFault } : {}),
    consumer1Lag,
    problems,
    waitedMs: Date.now() - started,
    resumed,
    ...(readOn ? { readOn } : {}),
    memory: { stateBytes: ledger.stateBytes, peakRssMiB: Math.round(peakRss / 2 ** 20) },
  };
}

/**
 * When `needed`, lets the reader go on to where the mirrored topic ends now, and returns how many
 * records it still had to read (0 when it was there). A reader that cannot get there in a minute
 * (plus a millisecond a record) fails as the verifier's timeout (exit 3), retried from the heartbeat:
 * the records are downstream, so they are never reported as the mirror's loss.
 */
async function readOnToEnds(
  reader: TopicReader,
  admin: Admin,
  topic: string,
  needed: boolean,
  signal: AbortSignal,
  progress: (d: { unread: number }) => void,
): Promise<number> {
  if (!needed) return 0;
  const ends = await topicEnds(admin, topic);
  const unread = (left = unreadBehind(reader.positions(), ends)) => left.reduce((n, u) => n + u.unread, 0);
  const atStop = unread();
  if (atStop === 0) return 0;
  await pollUntil(
    async () => {
      const left = unreadBehind(reader.positions(), ends);
      progress({ unread: unread(left) });
      return left.length === 0 ? { done: true, value: undefined } : { done: false, detail: describeUnread(left) };
    },
    {
      timeoutMs: 60_000 + atStop,
      intervalMs: 200,
      signal,
      onTimeout: (last) => new VerifierBehindError(topic, unread(), last),
    },
  );
  return atStop;
}

const describeUnread = (left: { partition: number; unread: number }[]) => left.map((u) => `p${u.partition}: ${u.unread} unread`).join(', ');

/**
 * Reads this run's records in the upstream topic into the ledger, so a loss is told apart: never
 * written upstream (the producer's or the upstream cluster's) or lost by the mirror. A topic that
 * cannot be read leaves it unknown, with why; never a guess.
 */
async function findLostUpstream(
  upstream: Kafka,
  upAdmin: Admin,
  input: VerifyInput,
  ledger: DeliveryLedger,
  signal: AbortSignal,
  heartbeat: () => void,
): Promise<void> {
  heartbeat();
  try {
    const from = await windowStart(upAdmin, input.topic, input.sinceMs);
    await scanRunRecords(upstream, input.topic, from, input.runId, (r) => ledger.foundUpstream(r.seq), {
      timeoutMs: 120_000 + expectedCount(input.expected),
      signal,
    });
    ledger.upstreamRead();
  } catch (e) {
    if (signal.aborted) throw e;
    ledger.upstreamUnreadable(e instanceof Error ? e.message : String(e));
  }
}
