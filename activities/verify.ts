import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { kafkaClient } from '../src/clients/kafka';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import type { TargetAccess } from '../src/domain/access';
import {
  accountFor,
  accountingProblems,
  latencyFigures,
  latencyUnavailable,
  type AckedRecord,
  type IndexedRecord,
  type ObservedRecord,
} from '../src/domain/accounting';
import type { Accounting, LatencyFigures } from '../src/domain/report';
import { contentAltered, latencyAvailability, latencyMs } from '../src/verify/judge';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from './heartbeat';
import { consumerGroupLag } from '../src/clients/lag';
import { openTopicReader } from '../src/kafka/topic-reader';
import { toRunRecord, type RunRecord } from './scan';

export interface VerifyInput {
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  schemaRegistryUrl: string;
  elasticsearchUrl: string;
  topic: string;
  mirroredTopic: string;
  index: string;
  runId: string;
  acked: AckedRecord[];
  /** Writer schema (JSON text) per generation, to derive what each message must contain. */
  schemas: Record<string, string>;
  /** When this run's first produce started (recorded before it sent anything); the mirrored topic is read from just before it. */
  sinceMs: number;
  deadlineSeconds: number;
  failOnDuplicates: boolean;
  /** The upstream real-time consumer whose lag must reach zero. */
  upstreamGroup: string;
  access?: TargetAccess;
}

export interface VerifyOutput {
  accounting: Accounting;
  latency: LatencyFigures;
  consumer1Lag: number;
  problems: string[];
  waitedMs: number;
}

/**
 * Reads the mirrored topic and the Elasticsearch index until every acknowledged message is there
 * (and consumer-1 has caught up), or the deadline passes; then accounts for every message.
 * Never sleeps a fixed time: it stops as soon as the evidence is complete.
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
  const expectedSeqs = new Set(input.acked.map((a) => a.seq));
  const records: RunRecord[] = [];

  const admin = kafka.admin();
  await admin.connect();
  const upAdmin = upstream.admin();
  await upAdmin.connect();
  const timestampType = await topicTimestampType(admin, input.mirroredTopic);
  const from = await admin.fetchTopicOffsetsByTimestamp(input.mirroredTopic, input.sinceMs - 10_000);
  const ends = await admin.fetchTopicOffsets(input.mirroredTopic);
  const start = Object.fromEntries(
    from.map((p) => [p.partition, p.offset === '-1' ? (ends.find((e) => e.partition === p.partition)?.high ?? '0') : p.offset]),
  );
  const reader = await openTopicReader(
    kafka,
    input.mirroredTopic,
    start,
    (partition, m) => {
      const r = toRunRecord(m, partition, input.runId);
      if (r) records.push(r);
    },
    { groupPrefix: `kafka-lab-verify-${input.runId}` },
  );

  let consumer1Lag = -1;
  try {
    // Until the evidence is complete, or the deadline: then the accounting says what is missing.
    const deadline = started + input.deadlineSeconds * 1000;
    await pollUntil(
      async () => {
        const mirrored = new Set(records.map((r) => r.seq).filter((s) => expectedSeqs.has(s))).size;
        const indexed = await countIndexed(es, input.index, input.runId);
        consumer1Lag = await consumerGroupLag(upAdmin, input.upstreamGroup, input.topic);
        const complete = mirrored >= expectedSeqs.size && indexed >= expectedSeqs.size && consumer1Lag === 0;
        if (complete || Date.now() >= deadline) return { done: true, value: undefined };
        return { done: false, detail: JSON.stringify({ mirrored, indexed, expected: expectedSeqs.size, consumer1Lag }) };
      },
      {
        timeoutMs: input.deadlineSeconds * 1000 + 60_000,
        intervalMs: 1000,
        signal,
        onProgress: progress,
        onTimeout: (last) => new Error(`verification did not finish: ${last}`),
      },
    );
  } finally {
    await reader.close();
    await admin.disconnect();
    await upAdmin.disconnect();
  }

  const registry = new SchemaRegistry({ host: input.schemaRegistryUrl, auth: basicAuth(a?.schemaRegistry) });
  const altered = (seq: number, generation: number, doc: Record<string, unknown> | undefined) =>
    contentAltered(input.runId, seq, generation, input.schemas, doc);
  const observed: ObservedRecord[] = [];
  const latencyPoints: [number, number][] = [];
  for (const r of records) {
    // A value the registry cannot decode is this run's record with its content changed, not an error.
    const value = r.value ? ((await registry.decode(r.value).catch(() => undefined)) as Record<string, unknown> | undefined) : undefined;
    observed.push({ seq: r.seq, partition: r.partition, offset: r.offset, altered: altered(r.seq, r.generation, value) });
    latencyPoints.push([r.producedAt, latencyMs(r)]);
  }
  const indexed = await fetchIndexed(es, input.index, input.runId, (doc) => altered(doc.lab.seq, doc.lab.generation, doc));
  const accounting = accountFor(input.acked, observed, indexed);
  const problems = accountingProblems(accounting, { failOnDuplicates: input.failOnDuplicates });
  if (consumer1Lag !== 0) problems.push(`consumer-1 lag is ${consumer1Lag}, not 0`);
  const latencyCheck = latencyAvailability(timestampType);
  const latency = latencyCheck.available ? latencyFigures(latencyPoints) : latencyUnavailable(latencyCheck.reason);
  return { accounting, latency, consumer1Lag, problems, waitedMs: Date.now() - started };
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

async function fetchIndexed(es: Client, index: string, runId: string, altered: (doc: IndexedDoc) => boolean): Promise<IndexedRecord[]> {
  const out: IndexedRecord[] = [];
  let after: (string | number)[] | undefined;
  try {
    for (;;) {
      const page = await es.search<IndexedDoc>({
        index,
        size: 1000,
        query: runQuery(runId),
        sort: [{ 'lab.seq': { order: 'asc', unmapped_type: 'long' } }],
        search_after: after,
      });
      for (const h of page.hits.hits) {
        const doc = h._source!;
        out.push({ seq: doc.lab.seq, altered: altered(doc) });
      }
      if (page.hits.hits.length < 1000) return out;
      after = page.hits.hits[page.hits.hits.length - 1].sort as (string | number)[];
    }
  } catch (e) {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return out;
    throw e;
  }
}
