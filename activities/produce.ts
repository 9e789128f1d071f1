import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Context } from '@temporalio/activity';
import { kafkaClient } from '../src/clients/kafka';
import { basicAuth, kafkaAccessOptions } from '../src/config/credentials';
import type { HttpAccess, KafkaAccess } from '../src/domain/access';
import type { AckedRecord } from '../src/domain/accounting';
import { LAB_HEADERS } from '../src/domain/lab-headers';
import { schemaFields, studentFor } from '../src/scenario/students';
import { sleep } from '../src/util/sleep';
import { withHeartbeat } from './heartbeat';
import { scanRunRecords } from './scan';

export interface ProduceInput {
  bootstrap: string[];
  schemaRegistryUrl: string;
  topic: string;
  runId: string;
  generation: number;
  schema: string;
  firstSeq: number;
  count: number;
  partitions: number;
  /**
   * Where each partition ended before this generation sent anything, recorded by
   * recordProduceStart in its own activity result, so it is in history before the first record.
   */
  startOffsets: Record<number, string>;
  /** Messages per second (0: as fast as acknowledgements come). */
  rate?: number;
  access?: { kafka?: KafkaAccess; schemaRegistry?: HttpAccess };
}

export interface ProduceStart {
  startOffsets: Record<number, string>;
  /** Epoch ms before the first record; the verification window starts here. */
  startedAt: number;
}

/** Records where the topic ends before a generation is produced; a retried produce resumes from it. */
export async function recordProduceStart(input: { bootstrap: string[]; topic: string; access?: KafkaAccess }): Promise<ProduceStart> {
  const startedAt = Date.now();
  const admin = kafkaClient(input.bootstrap, 'producer-1', kafkaAccessOptions(input.access, 'upstream')).admin();
  await admin.connect();
  try {
    return { startOffsets: Object.fromEntries((await admin.fetchTopicOffsets(input.topic)).map((p) => [p.partition, p.high])), startedAt };
  } finally {
    await admin.disconnect();
  }
}

export interface ProduceOutput {
  schemaId: number;
  subject: string;
  acked: AckedRecord[];
  /** Records found already written by an earlier attempt of this activity (not sent again). */
  resumed: number;
  startedAt: number;
  durationMs: number;
  messagesPerSecond: number;
}

const CHUNK = 500;

/**
 * producer-1 (examples 12-1 and 12-5): registers the schema, then sends `count` Avro Students in
 * the Confluent wire format. Only acknowledged writes are counted. Each message carries its run
 * id, sequence number and generation in headers, and goes to partition seq % partitions so its
 * upstream order is known. A retried attempt first finds what earlier attempts already wrote
 * (reading from the start offsets recorded before the first attempt) and sends only the rest.
 */
export async function produceStudents(input: ProduceInput): Promise<ProduceOutput> {
  // Heartbeats from the first call on: registering and the resume scan can take a while too.
  return withHeartbeat(async (progress, signal) => {
    const registry = new SchemaRegistry({ host: input.schemaRegistryUrl, auth: basicAuth(input.access?.schemaRegistry) });
    const subject = `${input.topic}-value`;
    const { id: schemaId } = await registry.register({ type: SchemaType.AVRO, schema: input.schema }, { subject });
    const fields = schemaFields(input.schema);
    const kafka = kafkaClient(input.bootstrap, 'producer-1', kafkaAccessOptions(input.access?.kafka, 'upstream'));
    const startedAt = Date.now();

    // A later attempt first finds what earlier ones wrote (every copy Kafka holds), and sends the rest.
    const already =
      Context.current().info.attempt > 1
        ? await scanRunRecords(kafka, input.topic, input.startOffsets, input.runId, (g) => g === input.generation, 60_000, signal)
        : [];
    const acked: AckedRecord[] = already.map((r) => ({ seq: r.seq, partition: r.partition, offset: r.offset }));
    const done = new Set(acked.map((a) => a.seq));
    const chunk = input.rate ? Math.max(1, Math.min(CHUNK, Math.ceil(input.rate / 10))) : CHUNK;
    let sent = 0;

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      progress({ acked: acked.length });
      const todo = Array.from({ length: input.count }, (_, i) => input.firstSeq + i).filter((s) => !done.has(s));
      for (let i = 0; i < todo.length; i += chunk) {
        // A steady load: never ahead of `rate` messages per second since this attempt started.
        await sleep(input.rate ? Math.max(0, startedAt + (sent / input.rate) * 1000 - Date.now()) : 0, signal);
        const seqs = todo.slice(i, i + chunk);
        const messages = await Promise.all(
          seqs.map(async (seq) => {
            const producedAt = String(Date.now());
            return {
              key: `${input.runId}-${seq}`,
              value: await registry.encode(schemaId, studentFor(input.runId, seq, fields)),
              partition: seq % input.partitions,
              timestamp: producedAt,
              headers: {
                [LAB_HEADERS.runId]: input.runId,
                [LAB_HEADERS.seq]: String(seq),
                [LAB_HEADERS.generation]: String(input.generation),
                [LAB_HEADERS.producedAt]: producedAt,
              },
            };
          }),
        );
        const meta = await producer.send({ topic: input.topic, acks: -1, messages });
        // Within one send, a partition's messages form one batch in order: offset = base + index.
        for (const m of meta) {
          const inPartition = seqs.filter((s) => s % input.partitions === m.partition);
          inPartition.forEach((seq, k) => acked.push({ seq, partition: m.partition, offset: Number(m.baseOffset) + k }));
        }
        sent += seqs.length;
        progress({ acked: acked.length });
      }
      const durationMs = Date.now() - startedAt;
      return {
        schemaId,
        subject,
        acked: acked.sort((a, b) => a.seq - b.seq),
        resumed: already.length,
        startedAt,
        durationMs,
        messagesPerSecond: Math.round((input.count / Math.max(durationMs, 1)) * 1000),
      };
    } finally {
      await producer.disconnect();
    }
  });
}
