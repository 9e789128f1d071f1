/**
 * consumer-2, the chapter's analytics consumer (examples 12-3 and 12-6): reads the mirrored topic
 * downstream, decodes through the Schema Registry, and indexes each message into Elasticsearch.
 * Document ids come from the message (run id and sequence number, else topic-partition-offset),
 * so a redelivered message overwrites its document instead of adding a second one.
 */
import { Client } from '@elastic/elasticsearch';
import { readAppEnv } from './app-env';
import { readLabHeaders } from '../domain/lab-headers';
import { runConsumerApp } from './app-runtime';
import { wireDecoder } from '../schema/wire';

const env = readAppEnv();
const es = new Client({
  node: env.elasticsearchUrl ?? 'http://elasticsearch:9200',
  headers: env.elasticsearchAuthorization ? { authorization: env.elasticsearchAuthorization } : undefined,
});
const index = env.index ?? env.topic.toLowerCase();

let decode: ReturnType<typeof wireDecoder> | undefined;

// One bulk request per fetched batch (thousands of documents); decoding is synchronous once a schema is known.
void runConsumerApp(env, async (batch, registry) => {
  decode ??= wireDecoder(registry);
  const operations: object[] = [];
  for (const m of batch.messages) {
    if (!m.value) continue;
    const decoded = decode(m.value);
    const value = (decoded instanceof Promise ? await decoded : decoded) ?? (await registry.decode(m.value));
    const h = readLabHeaders(m.headers as Record<string, unknown>);
    const id = h.runId && h.seq ? `${h.runId}-${h.seq}` : `${batch.topic}-${batch.partition}-${m.offset}`;
    operations.push(
      { index: { _index: index, _id: id } },
      {
        ...value,
        lab: {
          runId: h.runId,
          seq: h.seq === undefined ? undefined : Number(h.seq),
          generation: h.generation === undefined ? undefined : Number(h.generation),
          schemaId: m.value.readInt32BE(1),
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          producedAt: h.producedAt === undefined ? undefined : Number(h.producedAt),
          mirroredAt: Number(m.timestamp),
          indexedAt: Date.now(),
        },
      },
    );
  }
  if (operations.length === 0) return;
  const res = await es.bulk({ operations });
  if (res.errors) {
    const first = res.items.find((i) => i.index?.error)?.index?.error;
    throw new Error(`bulk indexing failed: ${first?.type} ${first?.reason}`);
  }
});
