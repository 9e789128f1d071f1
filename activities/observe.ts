import { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { kafkaClient } from '../src/clients/kafka';
import { httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import { readToEnd } from '../src/kafka/topic-reader';
import type { ObserveInput, ObserveOutput } from '../src/contracts/observe';

/**
 * Checks a flow without writing to it (`--no-produce`): the mirror keeps up (the newest record
 * downstream is no older than the newest upstream, within a threshold) and Elasticsearch is fresh
 * (its newest document is recent). For production topics nobody may write to.
 */
export async function observeFlow(input: ObserveInput): Promise<ObserveOutput> {
  const a = input.access;
  const up = await newestTimestamp(
    kafkaClient(input.upstreamBootstrap, 'kafka-lab-observe', kafkaAccessOptions(a?.upstream, 'upstream')),
    input.topic,
  );
  const down = await newestTimestamp(
    kafkaClient(input.downstreamBootstrap, 'kafka-lab-observe', kafkaAccessOptions(a?.downstream, 'downstream')),
    input.mirroredTopic,
  );
  const problems: string[] = [];
  const out: ObserveOutput = { problems };
  if (up === undefined) problems.push(`${input.topic} holds no records upstream: nothing flows to observe`);
  if (down === undefined) problems.push(`${input.mirroredTopic} holds no records downstream`);
  if (up !== undefined && down !== undefined) {
    out.upstreamNewest = new Date(up).toISOString();
    out.downstreamNewest = new Date(down).toISOString();
    out.mirrorLagMs = Math.max(0, up - down);
    if (out.mirrorLagMs > input.maxMirrorLagSeconds * 1000)
      problems.push(`the mirror is ${Math.round(out.mirrorLagMs / 1000)} s behind (limit ${input.maxMirrorLagSeconds} s)`);
  }
  const es = new Client({ node: input.elasticsearchUrl, headers: httpAuthHeaders(a?.elasticsearch, 'Elasticsearch') });
  const agg = await es.search({ index: input.index, size: 0, aggs: { newest: { max: { field: input.freshnessField } } } }).catch((e) => {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
    throw e;
  });
  const newest = (agg?.aggregations?.newest as { value?: number | null } | undefined)?.value;
  if (newest === undefined || newest === null) problems.push(`index ${input.index} has no ${input.freshnessField} values`);
  else {
    out.indexNewest = new Date(newest).toISOString();
    out.indexAgeMs = Math.max(0, Date.now() - newest);
    if (out.indexAgeMs > input.maxIndexAgeSeconds * 1000)
      problems.push(`the newest document is ${Math.round(out.indexAgeMs / 1000)} s old (limit ${input.maxIndexAgeSeconds} s)`);
  }
  return out;
}

/** The newest record timestamp of a topic: the last record of each partition, read without a commit. */
async function newestTimestamp(kafka: Kafka, topic: string): Promise<number | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  const last = offsets.filter((p) => BigInt(p.high) > BigInt(p.low));
  if (last.length === 0) {
    await admin.disconnect();
    return undefined;
  }
  await admin.disconnect();
  const seen = new Map<number, number>();
  // The last record of each partition: read from one before the end to the end.
  await readToEnd(
    kafka,
    topic,
    Object.fromEntries(last.map((p) => [p.partition, String(BigInt(p.high) - 1n)])),
    (partition, m) => {
      seen.set(partition, Math.max(seen.get(partition) ?? 0, Number(m.timestamp)));
    },
    { timeoutMs: 30_000, groupPrefix: 'kafka-lab-observe' },
  );
  return seen.size ? Math.max(...seen.values()) : undefined;
}
