/**
 * Producer throughput, side by side in one run on one lite lab, every row idempotent with acks=all
 * to a topic of 3 partitions: Kafka's own ProducerPerformance (inside the broker container), the
 * drill's produce activity on each engine (Avro through the Schema Registry, the lab header, resume
 * bookkeeping), and the bare clients sending records of the drill's size (where the time goes).
 * Prints a table; a column gives each row's share of ProducerPerformance's rate (the better of its
 * two runs, first and last).
 * `npm run bench:produce -- [--records N] [--keep]`
 */
import { parseArgs } from 'node:util';
import { ProduceAcks, Producer as PlatformaticProducer } from '@platformatic/kafka';
import { MockActivityEnvironment } from '@temporalio/testing';
import { produceStudents, recordProduceStart } from '../activities/produce';
import { createTopic } from '../activities/topics';
import { renderTable } from '../src/cli/table';
import { kafkaClient } from '../src/clients/kafka';
import { connectNative, nativeKafka } from '../src/clients/native-kafka';
import { connectDocker } from '../src/docker/docker-client';
import { PRODUCER_ENGINES } from '../src/domain/producer-engine';
import { SeqBits } from '../src/domain/seq-bits';
import { STUDENT_SCHEMA_V1 } from '../src/domain/student-schema';
import { laneCursor } from '../src/kafka/lane';
import { isTopologyProblem, resolveTopology } from '../src/domain/resolve-topology';
import { provisionLab } from '../src/lab/provision';
import { teardownLab } from '../src/lab/teardown';
import { producerPerformance } from './kafka-tools';

const { values } = parseArgs({ options: { records: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.records ?? 200_000);
const log = (s: string) => process.stderr.write(`  ${s}\n`);

/**
 * The size of the drill's records, as the other rows send them (one value of this size, no key or
 * header): the mean of its key, Avro value and lab header together.
 */
function drillRecordSize(): number {
  const records = laneCursor({
    bootstrap: [],
    topic: 'bench',
    runId: `bench-${Date.now()}`,
    generation: 1,
    schema: JSON.stringify(STUDENT_SCHEMA_V1),
    schemaId: 1,
    firstSeq: 0,
    count: 1000,
    partitions: 1,
    partitionsOfLane: [0],
    done: SeqBits.shared(0, 1000).buffer as SharedArrayBuffer,
    rate: 0,
  }).take(1000);
  const bytes = records.reduce(
    (n, r) => n + r.key.length + r.value.length + Object.entries(r.headers).reduce((h, [k, v]) => h + k.length + v.length, 0),
    0,
  );
  return Math.round(bytes / records.length);
}

/** kafkajs alone: batches of 1,000 to the three partitions, one send at a time. */
async function bareKafkajs(bootstrap: string[], topic: string, value: Buffer): Promise<void> {
  const producer = kafkaClient(bootstrap, 'bench').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < N; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ key: String(i + k), value, partition: (i + k) % 3 }));
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** @platformatic/kafka alone (pure TypeScript, measured only here): as bare kafkajs. */
async function barePlatformatic(bootstrap: string[], topic: string, value: Buffer): Promise<void> {
  const producer = new PlatformaticProducer({ clientId: 'bench', bootstrapBrokers: bootstrap, idempotent: true, acks: ProduceAcks.ALL });
  try {
    for (let i = 0; i < N; i += 1000) {
      const messages = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({
        topic,
        key: Buffer.from(String(i + k)),
        value,
        partition: (i + k) % 3,
      }));
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
}

/** librdkafka alone: produce() into its queue, every record's delivery report awaited. */
async function bareLibrdkafka(bootstrap: string[], topic: string, value: Buffer): Promise<void> {
  const { Producer } = nativeKafka();
  const p = new Producer({
    'bootstrap.servers': bootstrap.join(','),
    'enable.idempotence': true,
    acks: 'all',
    'linger.ms': 5,
    dr_cb: true,
  });
  await connectNative(p, bootstrap.join(','));
  p.setPollInterval(10);
  let delivered = 0;
  let failed: Error | undefined;
  const all = new Promise<void>((resolve) =>
    p.on('delivery-report', (e) => {
      if (e) failed ??= e;
      if (++delivered === N) resolve();
    }),
  );
  for (let i = 0; i < N; i++) {
    for (;;) {
      try {
        p.produce(topic, i % 3, value, String(i), Date.now(), undefined, []);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 5)); // queue full: wait for deliveries
      }
    }
  }
  await all;
  await new Promise<void>((resolve) => p.disconnect(5000, resolve));
  if (failed) throw failed;
}

async function main() {
  const t = resolveTopology({
    topology: 'lite',
    labId: 'bench-produce',
    portOffset: 3200,
    components: ['schema-registry', 'elasticsearch', 'prometheus'],
  });
  if (isTopologyProblem(t)) throw new Error(t.problem);
  const docker = await connectDocker();
  const lab = await provisionLab(docker, t, { log });
  const bootstrap = lab.endpoints.clusters.upstream.bootstrap;
  const size = drillRecordSize();
  const rows: { producer: string; seconds: number; note: string }[] = [];
  const timed = async (producer: string, note: string, run: () => Promise<unknown>) => {
    log(producer);
    const start = Date.now();
    await run();
    rows.push({ producer, seconds: (Date.now() - start) / 1000, note });
  };
  try {
    const topics = [
      'bench-perf',
      'bench-drill-kafkajs',
      'bench-drill-librdkafka',
      'bench-drill-platformatic',
      'bench-kafkajs',
      'bench-librdkafka',
      'bench-platformatic',
    ];
    for (const topic of topics) await createTopic({ bootstrap, topic, partitions: 3, replicationFactor: 1 });

    // first and last, so the broker's warming up (or a busier host) shows in the reference itself
    const perfRow = async (when: string) => {
      log(`Kafka's ProducerPerformance, ${when}`);
      const perf = await producerPerformance(docker, 'kafka-lab-bench-produce-up-kafka-1', 'up-kafka-1:9092', 'bench-perf', N, size);
      rows.push({
        producer: `Kafka's ProducerPerformance (Java), ${when}`,
        seconds: N / perf.recordsPerSecond,
        note: `${perf.mbPerSecond} MB/s, inside the broker container`,
      });
    };
    await perfRow('first');

    const env = new MockActivityEnvironment();
    for (const engine of PRODUCER_ENGINES) {
      const topic = `bench-drill-${engine}`;
      const startOffsets = (await recordProduceStart({ bootstrap, topic })).startOffsets;
      await timed(`drill's produce activity, --producer ${engine}`, 'Avro via the registry, lab header, resume bookkeeping', () =>
        env.run(produceStudents, {
          bootstrap,
          schemaRegistryUrl: lab.endpoints.schemaRegistry!.url,
          topic,
          runId: `bench-${engine}`,
          generation: 1,
          schema: JSON.stringify(STUDENT_SCHEMA_V1),
          firstSeq: 0,
          count: N,
          partitions: 3,
          startOffsets,
          producer: engine,
        }),
      );
    }
    const value = Buffer.alloc(size, 'x');
    await timed('bare kafkajs (batches of 1,000, one in flight)', 'one value of that size', () =>
      bareKafkajs(bootstrap, 'bench-kafkajs', value),
    );
    await timed('bare librdkafka (produce() + delivery reports)', 'one value of that size', () =>
      bareLibrdkafka(bootstrap, 'bench-librdkafka', value),
    );
    await timed('bare @platformatic/kafka (batches of 1,000, one in flight)', 'one value of that size', () =>
      barePlatformatic(bootstrap, 'bench-platformatic', value),
    );
    await perfRow('last');
  } finally {
    if (!values.keep) await teardownLab(docker, t.labId);
  }
  // the share of the better of ProducerPerformance's two runs: the harder target
  const perfRate = Math.max(...rows.filter((r) => r.producer.startsWith("Kafka's")).map((r) => N / r.seconds));
  process.stdout.write(
    `${N} records of ${size} bytes (the drill's key, value and header) per row, 3 partitions, acks=all, idempotent, one lite lab\n${renderTable(
      ['producer', 'seconds', 'records/s', 'of ProducerPerformance', 'note'],
      rows.map((r) => [r.producer, r.seconds.toFixed(2), Math.round(N / r.seconds), (N / r.seconds / perfRate).toFixed(2), r.note]),
    )}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
