import { CatchUp, type CatchUpFigures, type CatchUpState } from '../src/domain/catch-up';
import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Context } from '@temporalio/activity';
import { ConfigResourceTypes, type Admin, type Kafka, type KafkaMessage } from 'kafkajs';
import { kafkaClient } from '../src/clients/kafka';
import { consumerGroupLag } from '../src/clients/lag';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import type { TargetAccess } from '../src/domain/access';
import {
  accountingProblems,
  DeliveryLedger,
  expectedCount,
  latencyUnavailable,
  type ExpectedMessages,
  type LedgerState,
} from '../src/domain/accounting';
import { LatencyHistogram, type HistogramState } from '../src/domain/latency-histogram';
import type { Accounting, LatencyFigures } from '../src/domain/report';
import { openTopicReader, topicEnds, unreadBehind, type TopicReader } from '../src/kafka/topic-reader';
import { TimedOutError, VerifierBehindError } from '../src/errors';
import { wireDecoder } from '../src/schema/wire';
import { pollUntil } from '../src/util/poll';
import { contentJudge, latencyAvailability, latencyMs } from '../src/verify/judge';
import { withHeartbeat } from './heartbeat';
import { scanRunRecords, toRunRecord } from './scan';

export interface VerifyInput {
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  schemaRegistryUrl: string;
  elasticsearchUrl: string;
  topic: string;
  mirroredTopic: string;
  index: string;
  runId: string;
  /** What the run produced, as sequence ranges (never a list of records). */
  expected: ExpectedMessages;
  /** Writer schema (JSON text) per generation, to derive what each message must contain. */
  schemas: Record<string, string>;
  /** When this run's first produce started (recorded before it sent anything); the mirrored topic is read from just before it. */
  sinceMs: number;
  deadlineSeconds: number;
  failOnDuplicates: boolean;
  /** The upstream real-time consumer whose lag must reach zero. */
  upstreamGroup: string;
  /** Fault windows (epoch ms) of this run: latency is then also given during them and after the last. */
  faultWindows?: { from: number; to: number }[];
  access?: TargetAccess;
}

export interface VerifyOutput {
  accounting: Accounting;
  latency: LatencyFigures;
  consumer1Lag: number;
  problems: string[];
  waitedMs: number;
  /** With fault windows: latency of the records produced during a fault, and after the last one. */
  latencyByPhase?: { during: LatencyFigures; after: LatencyFigures };
  /** With fault windows: how the mirror caught up after the last one. */
  catchUp?: CatchUpFigures;
  /** Mirrored records an earlier attempt had already accounted for (this attempt went on from there). */
  resumed: number;
  /**
   * Records already in the mirrored topic but not yet read when the verifier stopped waiting (its
   * deadline, or every message seen with --fail-on-duplicates): read before judging, never counted lost.
   */
  readOn?: number;
  /** The verifier's own footprint: its per-message state, and the worker's peak resident memory while it ran. */
  memory: { stateBytes: number; peakRssMiB: number };
}

/** What a retried verifier needs to go on where the last attempt stopped, kept in its heartbeat. */
interface VerifyCheckpoint {
  ledger: LedgerState;
  latency: HistogramState;
  during: HistogramState;
  after: HistogramState;
  catchUp?: CatchUpState;
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
      if (windows.some((w) => r.producedAt >= w.from && r.producedAt <= w.to)) during.add(r.producedAt, latencyMs(r));
      else if (r.producedAt > lastFaultEnd) after.add(r.producedAt, latencyMs(r));
      catchUp.add(r.producedAt, r.producedAt + latencyMs(r));
    };
    const value = decode(r.value);
    return value instanceof Promise ? value.then(take) : take(value);
  };
  const reader = await openTopicReader(kafka, input.mirroredTopic, start, onRecord, { groupPrefix: `kafka-lab-verify-${input.runId}` });

  let consumer1Lag = -1;
  let checkpoint: VerifyCheckpoint | undefined;
  let readOn = 0;
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
        };
        progress({ phase: 'mirrored topic', mirrored: ledger.mirrored, indexed, expected: want, consumer1Lag, checkpoint });
        const complete = ledger.mirrored >= want && indexed >= want && consumer1Lag === 0;
        if (complete || Date.now() >= deadline) return { done: true, value: undefined };
        return { done: false, detail: JSON.stringify({ mirrored: ledger.mirrored, indexed, expected: want, consumer1Lag }) };
      },
      {
        timeoutMs: input.deadlineSeconds * 1000 + 60_000,
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
    },
  );
  sampleMemory();
  const accounting = ledger.result();
  const problems = accountingProblems(accounting, { failOnDuplicates: input.failOnDuplicates });
  if (consumer1Lag !== 0) problems.push(`consumer-1 lag is ${consumer1Lag}, not 0`);
  const latencyCheck = latencyAvailability(timestampType);
  return {
    accounting,
    latency: latencyCheck.available ? latency.figures() : latencyUnavailable(latencyCheck.reason),
    latencyByPhase: windows.length && latencyCheck.available ? { during: during.figures(), after: after.figures() } : undefined,
    catchUp: windows.length && latencyCheck.available ? catchUp.figures() : undefined,
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

/** Per partition, the first offset at or after `sinceMs - 10 s` (the end when nothing is that new). */
async function windowStart(admin: Admin, topic: string, sinceMs: number): Promise<Record<number, string>> {
  const from = await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs - 10_000);
  const ends = await admin.fetchTopicOffsets(topic);
  return Object.fromEntries(
    from.map((p) => [p.partition, p.offset === '-1' ? (ends.find((e) => e.partition === p.partition)?.high ?? '0') : p.offset]),
  );
}

/**
 * The topic's message.timestamp.type (a topic override, else the broker's default); undefined when
 * it cannot be read (a principal without DescribeConfigs): latency is then reported unavailable.
 */
async function topicTimestampType(admin: Admin, topic: string): Promise<string | undefined> {
  const res = await admin
    .describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['message.timestamp.type'] }],
    })
    .catch(() => undefined);
  return res?.resources[0]?.configEntries.find((e) => e.configName === 'message.timestamp.type')?.configValue;
}

const runQuery = (runId: string) => ({ term: { 'lab.runId.keyword': runId } });

async function countIndexed(es: Client, index: string, runId: string): Promise<number> {
  try {
    await es.indices.refresh({ index });
    return (await es.count({ index, query: runQuery(runId) })).count;
  } catch (e) {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0; // no document indexed yet
    throw e;
  }
}

type IndexedDoc = Record<string, unknown> & { lab: { seq: number; generation: number } };
const PAGE = 2000;

/**
 * Streams this run's documents through a point in time with search_after, a page at a time, so
 * the index is read in constant memory whatever its size; the point in time is closed afterwards.
 */
async function readIndex(
  es: Client,
  index: string,
  runId: string,
  signal: AbortSignal,
  onDoc: (seq: number, generation: number, doc: IndexedDoc) => void,
  onPage: (read: number) => void,
): Promise<void> {
  const pit = await es.openPointInTime({ index, keep_alive: '2m' }).catch((e: { meta?: { statusCode?: number } }) => {
    if (e.meta?.statusCode === 404) return undefined; // no index: nothing was indexed
    throw e;
  });
  if (!pit) return;
  let id = pit.id;
  let after: (string | number)[] | undefined;
  let read = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      const page = await es.search<IndexedDoc>({
        size: PAGE,
        query: runQuery(runId),
        pit: { id, keep_alive: '2m' },
        sort: [{ _shard_doc: 'asc' }],
        search_after: after,
        track_total_hits: false,
        // what the content check needs: the student's fields, and the document's seq and generation
        _source: {
          excludes: [
            'lab.runId',
            'lab.schemaId',
            'lab.topic',
            'lab.partition',
            'lab.offset',
            'lab.producedAt',
            'lab.mirroredAt',
            'lab.indexedAt',
          ],
        },
      });
      id = page.pit_id ?? id;
      for (const h of page.hits.hits) onDoc(h._source!.lab.seq, h._source!.lab.generation, h._source!);
      read += page.hits.hits.length;
      onPage(read);
      if (page.hits.hits.length < PAGE) return;
      after = page.hits.hits[page.hits.hits.length - 1].sort as (string | number)[];
    }
  } finally {
    await es.closePointInTime({ id }).catch(() => undefined);
  }
}
