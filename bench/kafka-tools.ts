import type Docker from 'dockerode';
import { execIn } from '../src/docker/exec';

/** Runs one of Kafka's own tools (org.apache.kafka.tools.*) inside a lab broker container; its output. */
export async function kafkaTool(docker: Docker, container: string, tool: string, args: string[]): Promise<string> {
  const r = await execIn(docker, container, [
    'java',
    '-cp',
    '/opt/kafka/libs/*',
    '-Dlog4j.configuration=file:/etc/kafka-lab/log4j.properties',
    `org.apache.kafka.tools.${tool}`,
    ...args,
  ]);
  return r.output;
}

/** ProducerPerformance with acks=all and idempotence against the container's own broker: records/s and MB/s. */
export async function producerPerformance(
  docker: Docker,
  container: string,
  broker: string,
  topic: string,
  records: number,
  recordSize: number,
): Promise<{ recordsPerSecond: number; mbPerSecond: number }> {
  const out = await kafkaTool(docker, container, 'ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${broker}`,
    'acks=all',
    'enable.idempotence=true',
  ]);
  const m = /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(
    out
      .split('\n')
      .filter((l) => l.includes('records sent'))
      .pop() ?? '',
  );
  if (!m) throw new Error(`ProducerPerformance printed no summary: ${out.slice(-300)}`);
  return { recordsPerSecond: Number(m[1]), mbPerSecond: Number(m[2]) };
}
