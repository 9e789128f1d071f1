import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Context } from '@temporalio/activity';
import { kafkaClient } from '../src/clients/kafka';
import { basicAuth, kafkaAccessOptions } from '../src/config/credentials';
import { SeqBits } from '../src/domain/seq-bits';
import { laneCount, produceInLanes } from '../src/kafka/produce-lanes';
import { withHeartbeat } from '../src/activity/heartbeat';
import { scanRunRecords } from '../src/kafka/run-records';
import type { ProduceInput, ProduceOutput, ProduceStart, ProduceStartInput } from '../src/contracts/produce';

/** Records where the topic ends before a generation is produced; a retried produce resumes from it. */
export async function recordProduceStart(input: ProduceStartInput): Promise<ProduceStart> {
  const startedAt = Date.now();
  const admin = kafkaClient(input.bootstrap, 'producer-1', kafkaAccessOptions(input.access, 'upstream')).admin();
  await admin.connect();
  try {
    return { startOffsets: Object.fromEntries((await admin.fetchTopicOffsets(input.topic)).map((p) => [p.partition, p.high])), startedAt };
  } finally {
    await admin.disconnect();
  }
}

/**
 * producer-1 (examples 12-1 and 12-5): registers the schema, then sends `count` Avro Students in
 * the Confluent wire format, with acks=all and idempotence, in lanes (one idempotent producer per
 * core, each owning whole partitions). Each message carries its run id, sequence number and
 * generation in a header, and goes to partition seq % partitions so its upstream order is known.
 * The result is the sequence range, never a per-record list, so the workflow history stays small
 * at any count. A retried attempt first finds what earlier attempts already wrote (reading from the
 * start offsets recorded before the first attempt) and sends only the rest.
 */
export async function produceStudents(input: ProduceInput): Promise<ProduceOutput> {
  // Heartbeats from the first call on: registering and the resume scan can take a while too.
  return withHeartbeat(async (progress, signal) => {
    const registry = new SchemaRegistry({ host: input.schemaRegistryUrl, auth: basicAuth(input.access?.schemaRegistry) });
    const subject = `${input.topic}-value`;
    const { id: schemaId } = await registry.register({ type: SchemaType.AVRO, schema: input.schema }, { subject });
    const startedAt = Date.now();

    // A later attempt first finds what earlier ones wrote (every copy Kafka holds), and sends the rest.
    const done = SeqBits.shared(input.firstSeq, input.count);
    let found = 0;
    if (Context.current().info.attempt > 1) {
      const kafka = kafkaClient(input.bootstrap, 'producer-1', kafkaAccessOptions(input.access?.kafka, 'upstream'));
      await scanRunRecords(
        kafka,
        input.topic,
        input.startOffsets,
        input.runId,
        (r) => {
          if (r.generation !== input.generation) return;
          found++;
          done.add(r.seq);
        },
        { timeoutMs: 60_000 + input.count, signal },
      );
    }
    const resumed = done.count;
    let acknowledged = resumed;
    let resent = 0;
    progress({ acknowledged });
    await produceInLanes(
      { ...input, access: input.access?.kafka, schemaId, done: done.buffer as SharedArrayBuffer, rate: input.rate ?? 0 },
      laneCount(input.partitions),
      (p) => {
        resent += p.resent ?? 0;
        if (p.acked) progress({ acknowledged: (acknowledged += p.acked) });
      },
      signal,
    );
    const durationMs = Date.now() - startedAt;
    return {
      schemaId,
      subject,
      range: { first: input.firstSeq, count: input.count },
      acknowledged,
      resumed,
      writtenTwice: found - resumed,
      resent,
      startedAt,
      durationMs,
      messagesPerSecond: Math.round((input.count / Math.max(durationMs, 1)) * 1000),
    };
  });
}
