import type { Client } from '@elastic/elasticsearch';

// The run's documents in the Elasticsearch index, as the verifier counts and reads them.

const runQuery = (runId: string) => ({ term: { 'lab.runId.keyword': runId } });

/** How many of the run's documents the index holds (none while the index does not exist). */
export async function countIndexed(es: Client, index: string, runId: string): Promise<number> {
  try {
    await es.indices.refresh({ index });
    return (await es.count({ index, query: runQuery(runId) })).count;
  } catch (e) {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0; // no document indexed yet
    throw e;
  }
}

export type IndexedDoc = Record<string, unknown> & { lab: { seq: number; generation: number } };
/**
 * Pages of 10,000 in two slices read side by side: on the lab's 2 cores this read two million
 * documents in 7.6 s, against 26 s in pages of 2,000 one after the other (docs/measurements.md).
 */
const PAGE = 10_000;
const SLICES = 2;

// what the content check needs: the student's fields, and the document's seq and generation
const UNNEEDED = [
  'lab.runId',
  'lab.schemaId',
  'lab.topic',
  'lab.partition',
  'lab.offset',
  'lab.producedAt',
  'lab.mirroredAt',
  'lab.indexedAt',
];

/**
 * Streams this run's documents through a point in time with search_after, a page at a time per
 * slice, so the index is read in constant memory whatever its size; the point in time is closed afterwards.
 */
export async function readIndex(
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
  // the latest id each slice was given (Elasticsearch may hand a new one with any page)
  const ids = new Set([pit.id]);
  let read = 0;
  // a slice that fails stops the other at its next page: the read is lost either way
  let failed = false;
  const readSlice = async (slice: number) => {
    let id = pit.id;
    let after: (string | number)[] | undefined;
    for (;;) {
      signal.throwIfAborted();
      if (failed) return;
      const page = await es.search<IndexedDoc>({
        size: PAGE,
        query: runQuery(runId),
        pit: { id, keep_alive: '2m' },
        slice: { id: String(slice), max: SLICES },
        sort: [{ _shard_doc: 'asc' }],
        search_after: after,
        track_total_hits: false,
        _source: { excludes: UNNEEDED },
      });
      id = page.pit_id ?? id;
      ids.add(id);
      for (const h of page.hits.hits) onDoc(h._source!.lab.seq, h._source!.lab.generation, h._source!);
      read += page.hits.hits.length;
      onPage(read);
      if (page.hits.hits.length < PAGE) return;
      after = page.hits.hits[page.hits.hits.length - 1].sort as (string | number)[];
    }
  };
  try {
    // both slices end before the point in time is closed, even when one fails
    const ended = await Promise.allSettled(
      Array.from({ length: SLICES }, (_, i) =>
        readSlice(i).catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const rejected = ended.find((e) => e.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    for (const id of ids) await es.closePointInTime({ id }).catch(() => undefined);
  }
}

/** When the first of the run's documents from `topic` (from seq `minSeq` on) was indexed (epoch ms), or undefined when none was. */
export async function firstIndexedAt(es: Client, index: string, runId: string, topic: string, minSeq = 0): Promise<number | undefined> {
  try {
    await es.indices.refresh({ index });
    const r = await es.search({
      index,
      size: 0,
      query: { bool: { filter: [runQuery(runId), { term: { 'lab.topic.keyword': topic } }, { range: { 'lab.seq': { gte: minSeq } } }] } },
      aggs: { first: { min: { field: 'lab.indexedAt' } } },
    });
    const v = (r.aggregations?.first as { value: number | null } | undefined)?.value;
    return v ?? undefined;
  } catch (e) {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
    throw e;
  }
}
