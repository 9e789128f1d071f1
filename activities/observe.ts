import { Client } from '@elastic/elasticsearch';
import { kafkaClient } from '../src/clients/kafka';
import { httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import { lagProblems, mirrorLagPerPartition } from '../src/kafka/mirror-lag';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { ObserveInput, ObserveOutput } from '../src/contracts/observe';

/**
 * Checks a flow without writing to it (`--no-produce`): per partition, the newest upstream record
 * reaches downstream within the lag bound (a stalled partition is named, whatever the others do),
 * and Elasticsearch is fresh (its newest document is recent). For production topics nobody may write to.
 */
export async function observeFlow(input: ObserveInput): Promise<ObserveOutput> {
  return withHeartbeat((progress, signal) => observe(input, progress, signal));
}

async function observe(input: ObserveInput, progress: (d: unknown) => void, signal: AbortSignal): Promise<ObserveOutput> {
  const a = input.access;
  const boundMs = input.maxMirrorLagSeconds * 1000;
  const partitions = await mirrorLagPerPartition(
    kafkaClient(input.upstreamBootstrap, 'kafka-lab-observe', kafkaAccessOptions(a?.upstream, 'upstream')),
    kafkaClient(input.downstreamBootstrap, 'kafka-lab-observe', kafkaAccessOptions(a?.downstream, 'downstream')),
    input.topic,
    input.mirroredTopic,
    { boundMs, signal, progress: (detail) => progress({ phase: 'mirror lag', detail }) },
  );
  const problems: string[] = [];
  const out: ObserveOutput = { problems, partitions };
  if (partitions.length === 0) problems.push(`${input.topic} holds no records upstream: nothing flows to observe`);
  else {
    out.upstreamNewest = new Date(Math.max(...partitions.map((p) => p.producedAt))).toISOString();
    // known only when every partition's copy arrived: then the largest lag (0 when all were caught up)
    if (partitions.every((p) => p.caughtUp || p.lagMs !== undefined)) out.mirrorLagMs = Math.max(0, ...partitions.map((p) => p.lagMs ?? 0));
    problems.push(...lagProblems(partitions, boundMs));
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
