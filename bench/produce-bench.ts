/**
 * Producer throughput, side by side in one run on one lite lab: the drill's produce activity
 * (Avro through the Schema Registry, idempotent, acks=all, headers), a bare kafkajs producer, and
 * Kafka's own ProducerPerformance tool inside the broker container. Prints a table.
 * `npm run bench:produce -- [--records N]`
 */
import { parseArgs } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { produceStudents, recordProduceStart } from '../activities/produce';
import { createTopic } from '../activities/topics';
import { renderTable } from '../src/cli/table';
import { kafkaClient } from '../src/clients/kafka';
import { connectDocker } from '../src/docker/docker-client';
import { STUDENT_SCHEMA_V1 } from '../src/domain/student-schema';
import { isTopologyProblem, resolveTopology } from '../src/domain/resolve-topology';
import { provisionLab } from '../src/lab/provision';
import { teardownLab } from '../src/lab/teardown';
import { producerPerformance } from './kafka-tools';

const { values } = parseArgs({ options: { records: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.records ?? 20000);
const log = (s: string) => process.stderr.write(`  ${s}\n`);

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
  const rows: (string | number)[][] = [];
  const row = (tool: string, seconds: number, note: string) => rows.push([tool, N, seconds.toFixed(2), Math.round(N / seconds), note]);
  try {
    for (const topic of ['bench-avro', 'bench-raw', 'bench-perf'])
      await createTopic({ bootstrap, topic, partitions: 3, replicationFactor: 1 });

    const env = new MockActivityEnvironment();
    let start = Date.now();
    const out: Awaited<ReturnType<typeof produceStudents>> = await env.run(produceStudents, {
      bootstrap,
      schemaRegistryUrl: lab.endpoints.schemaRegistry!.url,
      topic: 'bench-avro',
      runId: 'bench',
      generation: 1,
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
      firstSeq: 0,
      count: N,
      partitions: 3,
      startOffsets: (await recordProduceStart({ bootstrap, topic: 'bench-avro' })).startOffsets,
    });
    row(
      'drill produce activity (kafkajs, Avro via registry, idempotent, acks=all)',
      (Date.now() - start) / 1000,
      `${out.acknowledged} acknowledged`,
    );

    const producer = kafkaClient(bootstrap, 'bench').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const value = Buffer.alloc(40, 'x');
    start = Date.now();
    for (let i = 0; i < N; i += 500) {
      await producer.send({
        topic: 'bench-raw',
        acks: -1,
        messages: Array.from({ length: Math.min(500, N - i) }, (_, k) => ({ key: String(i + k), value })),
      });
    }
    row('bare kafkajs producer (40-byte values, batches of 500, acks=all)', (Date.now() - start) / 1000, 'same client, no Avro');
    await producer.disconnect();

    const perf = await producerPerformance(docker, 'kafka-lab-bench-produce-up-kafka-1', 'up-kafka-1:9092', 'bench-perf', N, 40);
    row(
      "Kafka's ProducerPerformance (Java, 40-byte records, acks=all)",
      N / perf.recordsPerSecond,
      `${perf.mbPerSecond} MB/s, inside the broker container`,
    );
  } finally {
    if (!values.keep) await teardownLab(docker, t.labId);
  }
  process.stdout.write(`${renderTable(['producer', 'records', 'seconds', 'records/s', 'note'], rows)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
