import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Context } from '@temporalio/activity';
import { kafkaClient } from '../src/clients/kafka';
import { basicAuth, kafkaAccessOptions } from '../src/config/credentials';
import { lostAfterAck, mergeAckedBelow, type LostAfterAck } from '../src/domain/acked-missing';
import { SeqBits } from '../src/domain/seq-bits';
import { laneCount, produceInLanes } from '../src/kafka/produce-lanes';
import { withHeartbeat } from '../src/activity/heartbeat';
import { stepProgressReporter } from '../src/activity/step-progress';
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
    // What earlier attempts saw acknowledged, from their heartbeats: kept, so a message Kafka
    // acknowledged and then lost is reported (and not sent again as if it had never been written).
    const earlier = Context.current().info.heartbeatDetails as ProduceHeartbeat | undefined;
    let ackedBelow = mergeAckedBelow({}, earlier?.ackedBelow);
    let lost: LostAfterAck = earlier?.lostAfterAck ?? { count: 0, examples: [] };
    if (Context.current().info.attempt > 1) {
      const kafka = kafkaClient(input.bootstrap, 'producer-1', kafkaAccessOptions(input.access?.kafka, 'upstream'));
      await scanRunRecords(
        kafka,
        input.topic,
        input.startOffsets,
        input.runId,
        (r) => {
          // its own records only: the topic may hold the run's others (a failback's copies brought back, a mirror's under IdentityReplicationPolicy)
          if (r.generation !== input.generation || r.seq < input.firstSeq || r.seq >= input.firstSeq + input.count) return;
          found++;
          done.add(r.seq);
        },
        { timeoutMs: 60_000 + input.count, signal },
      );
    }
    const resumed = done.count;
    if (Context.current().info.attempt > 1) {
      // each one is marked done as it is found, so no lane sends it again
      const range = { first: input.firstSeq, count: input.count, partitions: input.partitions };
      const now = lostAfterAck(done, ackedBelow, range, (seq) => done.add(seq));
      lost = { count: lost.count + now.count, examples: [...lost.examples, ...now.examples].slice(0, 10) };
    }
    let acknowledged = done.count;
    let resent = 0;
    // the first acknowledgement is the producers' RTO mark in a disaster drill: a retry keeps the first attempt's
    let firstAckAt = earlier?.firstAckAt;
    const beat = (): ProduceHeartbeat => ({
      acknowledged,
      ackedBelow,
      ...(lost.count ? { lostAfterAck: lost } : {}),
      ...(firstAckAt ? { firstAckAt } : {}),
    });
    progress(beat());
    const report = stepProgressReporter(input.step, 'acknowledged', input.count);
    await produceInLanes(
      { ...input, access: input.access?.kafka, schemaId, done: done.buffer as SharedArrayBuffer, rate: input.rate ?? 0 },
      laneCount(input),
      (p) => {
        resent += p.resent ?? 0;
        if (p.ackedBelow) ackedBelow = mergeAckedBelow(ackedBelow, p.ackedBelow);
        if (p.acked) {
          firstAckAt ??= Date.now();
          acknowledged += p.acked;
          progress(beat());
          report(acknowledged);
        }
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
      ...(lost.count ? { lostAfterAck: lost } : {}),
      startedAt,
      durationMs,
      messagesPerSecond: Math.round(((input.stopAtMs ? acknowledged : input.count) / Math.max(durationMs, 1)) * 1000),
      ...(firstAckAt ? { firstAckAt } : {}),
      ...(input.stopAtMs !== undefined ? { ackedBelow } : {}),
    };
  });
}

/** What produce keeps in its heartbeat: enough for a later attempt to tell a lost acknowledged message from an unsent one. */
interface ProduceHeartbeat {
  acknowledged: number;
  ackedBelow: Record<number, number>;
  lostAfterAck?: LostAfterAck;
  firstAckAt?: number;
}
