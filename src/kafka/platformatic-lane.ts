import { platformaticProducer, platformaticSendError } from '../clients/platformatic-kafka';
import { ServiceUnreachableError } from '../errors';
import { runBatchLane, type BatchSender } from './batch-lane';
import type { LaneProgress, LaneRecord, LaneSpec } from './lane';
import { unacknowledgedPartitions } from './send-acknowledged';

/** Header names as bytes, made once (every record carries the same one). */
const headerNames = new Map<string, Buffer>();
const nameBytes = (k: string) => headerNames.get(k) ?? headerNames.set(k, Buffer.from(k)).get(k)!;

/** The record as @platformatic/kafka writes it: bytes everywhere (it serializes nothing itself here). */
function asMessage(topic: string, r: LaneRecord) {
  const headers = new Map<Buffer, Buffer>();
  for (const k in r.headers) headers.set(nameBytes(k), Buffer.from(r.headers[k]));
  return { topic, partition: r.partition, key: Buffer.from(r.key), value: r.value, timestamp: BigInt(r.timestamp), headers };
}

/**
 * The @platformatic/kafka engine of a lane. Pure TypeScript, so unlike librdkafka it runs a lane
 * per worker thread, and it writes a whole chunk in one call. A send resolves when the broker
 * acknowledged every partition of it (a partition's error rejects it); the answer must name each
 * partition the chunk went to, or the lane fails and the next attempt finds what was written.
 */
export async function runPlatformaticLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  const endpoint = spec.bootstrap.join(',');
  const producer = platformaticProducer(spec.bootstrap, spec.access, 'producer-1');
  const sender: BatchSender = {
    async send(records) {
      const result = await producer.send({ messages: records.map((r) => asMessage(spec.topic, r)) }).catch((e: unknown) => {
        throw platformaticSendError(e, endpoint, spec.topic);
      });
      // the answer names each partition it wrote, as kafkajs's does (one entry per partition, errors rejected above)
      const missing = unacknowledgedPartitions(
        records.map((r) => r.partition),
        (result.offsets ?? []).map((o) => ({ partition: o.partition, errorCode: 0 })),
      );
      if (missing.length)
        throw new ServiceUnreachableError(
          'Kafka',
          endpoint,
          `a send to ${spec.topic} was not acknowledged for partition(s) ${missing.join(', ')}`,
        );
    },
    close: () => producer.close(),
  };
  await runBatchLane(spec, sender, report, signal);
}
