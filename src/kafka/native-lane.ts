import { connectNative, nativeAccessConfig, nativeKafka, type NativeKafkaError } from '../clients/native-kafka';
import { ServiceUnreachableError } from '../errors';
import { sleep, withinDeadline } from '../util/sleep';
import {
  allBelow,
  disasterDue,
  disasterOver,
  laneCursor,
  nextChunk,
  SEND_DEADLINE_MS,
  seqOfLaneKey,
  type LaneProgress,
  type LaneSpec,
} from './lane';

/** Records handed to librdkafka and not yet acknowledged, at most: bounds the memory a fast lane holds. */
const MAX_QUEUED = 100_000;
/** librdkafka answers a full queue with this code; the lane waits for acknowledgements and tries again. */
const QUEUE_FULL = -184;
/** How often progress goes to the heartbeat. */
const REPORT_EVERY_MS = 200;
/**
 * After its planned disaster, a lane whose records go unacknowledged this long is facing a dead
 * cluster and ends (librdkafka would retry them until message.timeout.ms; kafkajs fails a send to
 * a killed broker after its retries, ~10 s).
 */
const DEAD_CLUSTER_SILENCE_MS = 5_000;

/**
 * The librdkafka engine of a lane: the same records as the kafkajs engine, handed to librdkafka's
 * queue as fast as `rate` allows (it batches per partition and keeps up to 5 requests in flight,
 * idempotent, acks=all), each acknowledged by its delivery report, which names the record by its
 * key. Reports come in order per partition, so the last acknowledged seq of a partition bounds what
 * it acknowledged (ackedBelow).
 */
export async function runNativeLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  const { Producer } = nativeKafka();
  const endpoint = spec.bootstrap.join(',');
  const producer = new Producer({
    'bootstrap.servers': endpoint,
    'client.id': 'producer-1',
    'enable.idempotence': true,
    acks: 'all',
    'linger.ms': 5,
    'batch.num.messages': 10_000,
    'queue.buffering.max.messages': MAX_QUEUED * 2,
    'message.timeout.ms': SEND_DEADLINE_MS,
    'allow.auto.create.topics': false,
    dr_cb: true,
    ...nativeAccessConfig(spec.access, 'upstream'),
  });
  const cursor = laneCursor(spec);
  let outstanding = 0;
  let acked = 0;
  let lastAckAt = Date.now();
  let failure: { error: NativeKafkaError; partition?: number } | undefined;
  const failed = new Set<number>();
  const ackedBelow: Record<number, number> = {};
  let changed = false;
  producer.on('delivery-report', (err, r) => {
    outstanding--;
    if (err) {
      failed.add(r.partition);
      failure ??= { error: err, partition: r.partition };
      return;
    }
    acked++;
    lastAckAt = Date.now();
    // a partition that failed once is not acknowledged past its failure, whatever comes after
    const seq = r.key ? seqOfLaneKey(r.key) : NaN;
    if (!failed.has(r.partition) && !Number.isNaN(seq)) ackedBelow[r.partition] = seq + 1;
    changed = true;
  });
  producer.on('event.error', (err) => {
    if (err.isFatal) failure ??= { error: err };
  });
  let reportedAt = 0;
  const flushProgress = (force = false) => {
    if (!changed || (!force && Date.now() - reportedAt < REPORT_EVERY_MS)) return;
    report({ acked, ackedBelow: { ...ackedBelow } });
    acked = 0;
    changed = false;
    reportedAt = Date.now();
  };
  const over = () => disasterOver(spec) || (disasterDue(spec) && outstanding > 0 && Date.now() - lastAckAt > DEAD_CLUSTER_SILENCE_MS);
  /** Waits, reporting progress, until `enough` holds, the lane fails, or its disaster is over. */
  const waitFor = async (enough: () => boolean) => {
    while (!enough() && !failure && !over()) {
      flushProgress();
      await sleep(5, signal);
    }
  };

  await connectNative(producer, endpoint);
  producer.setPollInterval(10);
  try {
    const startedAt = Date.now();
    let sent = 0;
    while (!cursor.finished && !failure && !over()) {
      // A steady load: never ahead of `rate` messages per second since this attempt started.
      await sleep(spec.rate ? Math.max(0, startedAt + (sent / spec.rate) * 1000 - Date.now()) : 0, signal);
      await waitFor(() => outstanding < MAX_QUEUED);
      for (const r of cursor.take(nextChunk(spec.rate, Date.now() - startedAt, sent))) {
        for (;;) {
          try {
            producer.produce(spec.topic, r.partition, r.value, r.key, r.timestamp, undefined, [r.headers]);
            outstanding++;
            break;
          } catch (e) {
            if ((e as NativeKafkaError).code !== QUEUE_FULL) throw e;
            await waitFor(() => outstanding < MAX_QUEUED / 2);
          }
        }
        sent++;
      }
      flushProgress();
    }
    await waitFor(() => outstanding === 0);
    if (failure && !disasterDue(spec)) {
      const where = failure.partition === undefined ? '' : ` partition ${failure.partition}`;
      throw new ServiceUnreachableError(
        'Kafka',
        endpoint,
        `a record to ${spec.topic}${where} was not acknowledged: ${failure.error.message}`,
      );
    }
    if (!failure && outstanding === 0 && cursor.finished) {
      changed = true;
      Object.assign(ackedBelow, allBelow(spec, spec.firstSeq + spec.count));
    }
  } finally {
    flushProgress(true);
    // what is still queued is dropped (its records were not acknowledged; a next attempt finds any that landed)
    await withinDeadline(
      new Promise<void>((resolve) => producer.disconnect(outstanding > 0 ? 0 : 5_000, resolve)),
      10_000,
      () => new Error('disconnect hung'),
    ).catch(() => undefined);
  }
}
