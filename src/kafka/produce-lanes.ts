import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { kafkaClient } from '../clients/kafka';
import { kafkaAccessOptions } from '../config/credentials';
import type { KafkaAccess } from '../domain/access';
import { labHeader } from '../domain/lab-headers';
import { SeqBits } from '../domain/seq-bits';
import { schemaFields, studentFor } from '../scenario/students';
import { wireEncoder } from '../schema/wire';
import { InternalError, labErrorFrom, ServiceUnreachableError } from '../errors';
import { sleep, withinDeadline } from '../util/sleep';
import { sendAcknowledged } from './send-acknowledged';

/**
 * What one lane of the drill's producer sends: the messages of a generation whose partition
 * (seq % partitions) is one of `partitionsOfLane`, except those `done` already holds. Each lane is
 * its own idempotent producer with acks=all, so per-partition order and exactly-once writes hold
 * per lane, and lanes never share a partition.
 */
export interface LaneSpec {
  bootstrap: string[];
  access?: KafkaAccess;
  topic: string;
  runId: string;
  generation: number;
  schema: string;
  schemaId: number;
  firstSeq: number;
  count: number;
  partitions: number;
  partitionsOfLane: number[];
  /** Bits of [firstSeq, firstSeq + count) already written by an earlier attempt (shared memory). */
  done: SharedArrayBuffer;
  /** This lane's share of the messages per second (0: as fast as acknowledged). */
  rate: number;
  /**
   * A disaster drill's load: the cluster is expected to die at this time (epoch ms). Until then a
   * failed send fails the lane as usual; from then on it ends the lane quietly, and the lane stops
   * sending DISASTER_GRACE_MS later whatever happens.
   */
  stopAtMs?: number;
}

/** How long after its planned disaster a load goes on sending, waiting for the cluster to die. */
export const DISASTER_GRACE_MS = 60_000;

/** Messages per send: one produce request then carries a full batch for each of the lane's partitions. */
const CHUNK = 2000;

/**
 * A moving leader (a reassignment, or a dead broker fenced after its session timeout, ~9 s) answers
 * NOT_LEADER for seconds; the producer retries through about 10 s of that before the attempt fails.
 * A retry keeps the batch's sequence numbers, so the idempotent broker writes it once.
 */
const PRODUCER_RETRY = { retries: 6, initialRetryTime: 300, maxRetryTime: 3000 };

/**
 * How long one send may go unanswered. Its retries above take ~10 s and each request times out
 * after 10 s (kafkaClient), so a send still pending after this never will: the lane fails (retryable) and the
 * next attempt resumes, rather than the step waiting out its start-to-close timeout.
 */
const SEND_DEADLINE_MS = 120_000;

/**
 * How many messages the next send carries: those due by now at `rate` (at least a tenth of a
 * second's worth, so an on-time lane sends ten times a second), at most CHUNK. A lane that fell
 * behind (a slow broker, a busy host) catches up in bigger sends instead of staying behind.
 */
export function nextChunk(rate: number, elapsedMs: number, sent: number): number {
  if (!rate) return CHUNK;
  const due = Math.floor((elapsedMs * rate) / 1000) - sent;
  return Math.max(1, Math.min(CHUNK, Math.max(Math.ceil(rate / 10), due)));
}

/**
 * What a lane reports as it goes: messages acknowledged, and messages sent again because kafkajs
 * resolved a send without writing them (see send-acknowledged.ts).
 */
export interface LaneProgress {
  acked?: number;
  resent?: number;
  /**
   * Per partition of the lane: every seq of that partition below this was acknowledged (in this
   * attempt, or found written by an earlier one). Kept in the heartbeat, so a later attempt knows
   * which messages Kafka had acknowledged, whatever the topic holds by then.
   */
  ackedBelow?: Record<number, number>;
}

/** Sends one lane's messages in order, reporting progress after each send. */
export async function runLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  const done = SeqBits.over(spec.firstSeq, spec.count, spec.done);
  const encode = wireEncoder(spec.schemaId, spec.schema);
  const fields = schemaFields(spec.schema);
  const kafka = kafkaClient(spec.bootstrap, 'producer-1', {
    ...kafkaAccessOptions(spec.access, 'upstream'),
    retry: PRODUCER_RETRY,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const mine = new Set(spec.partitionsOfLane);
  await producer.connect();
  try {
    const startedAt = Date.now();
    let sent = 0;
    const end = spec.firstSeq + spec.count;
    const dead = () => spec.stopAtMs !== undefined && Date.now() >= spec.stopAtMs;
    for (let next = spec.firstSeq; next < end;) {
      if (spec.stopAtMs !== undefined && Date.now() >= spec.stopAtMs + DISASTER_GRACE_MS) break;
      // A steady load: never ahead of `rate` messages per second since this attempt started.
      await sleep(spec.rate ? Math.max(0, startedAt + (sent / spec.rate) * 1000 - Date.now()) : 0, signal);
      const chunk = nextChunk(spec.rate, Date.now() - startedAt, sent);
      const messages = [];
      for (; next < end && messages.length < chunk; next++) {
        const partition = next % spec.partitions;
        if (!mine.has(partition) || done.has(next)) continue;
        const producedAt = Date.now();
        messages.push({
          key: `${spec.runId}-${next}`,
          value: encode(studentFor(spec.runId, next, fields)),
          partition,
          timestamp: String(producedAt),
          headers: labHeader(spec.runId, next, spec.generation, producedAt),
        });
      }
      if (messages.length === 0) continue;
      const sending = withinDeadline(
        sendAcknowledged(producer, spec.topic, messages, (_, resent) => report({ resent })),
        SEND_DEADLINE_MS,
        () =>
          new ServiceUnreachableError(
            'Kafka',
            spec.bootstrap.join(','),
            `a send to ${spec.topic} went unanswered for ${SEND_DEADLINE_MS / 1000} s`,
          ),
      );
      // once the disaster is due, a send that fails is the cluster dying: the lane ends with what was acknowledged
      if (
        !(await sending.then(
          () => true,
          (e: unknown) => (dead() ? false : Promise.reject(e)),
        ))
      )
        break;
      sent += messages.length;
      report({ acked: messages.length, ackedBelow: Object.fromEntries(spec.partitionsOfLane.map((p) => [p, next])) });
    }
  } finally {
    // a producer whose send hung may hang here too; the next attempt starts a new one
    await withinDeadline(producer.disconnect(), 10_000, () => new Error('disconnect hung')).catch(() => undefined);
  }
}

/** A lane's error as it crosses from its thread: a LabError's fields, or a KafkaJS error's name and flag. */
type LaneError = { name: string; message: string; retriable?: boolean; type?: string; fix?: string; retryable?: boolean };

/** How many lanes: one per core the machine has, never more than partitions, at most 4. */
export const laneCount = (partitions: number) => Math.max(1, Math.min(partitions, availableParallelism(), 4));

/**
 * Runs the lanes in worker threads (kafkajs encodes records on one JS thread, so one producer
 * stops at one core), one producer each. A failed lane does not stop the others: a broker that
 * dies takes down the lane whose partitions it leads, and the load goes on in the rest (so a fault
 * drill's load runs through the fault) until every lane has ended; then the first error is thrown
 * and the next attempt resends what is missing. Cancelling terminates the threads (what they wrote
 * is found again by the next attempt).
 */
export async function produceInLanes(
  base: Omit<LaneSpec, 'partitionsOfLane' | 'rate'> & { rate: number },
  lanes: number,
  report: (p: LaneProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  const specs: LaneSpec[] = Array.from({ length: lanes }, (_, j) => {
    const partitionsOfLane = Array.from({ length: base.partitions }, (_, p) => p).filter((p) => p % lanes === j);
    return { ...base, partitionsOfLane, rate: (base.rate * partitionsOfLane.length) / base.partitions };
  });
  if (lanes === 1) return runLane(specs[0], report, signal);
  const workers: Worker[] = [];
  const stopAll = () => workers.forEach((w) => void w.terminate());
  signal.addEventListener('abort', stopAll, { once: true });
  try {
    const ended = await Promise.allSettled(
      specs.map(
        (spec) =>
          new Promise<void>((resolveLane, reject) => {
            // The thread loads TypeScript the way the CLI and the worker do (tsx).
            const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(resolve(__dirname, 'produce-lane-thread.ts'))});`, {
              eval: true,
              workerData: spec,
            });
            workers.push(w);
            w.on('message', (m: LaneProgress & { error?: LaneError }) => {
              if (m.acked || m.resent) report({ acked: m.acked, resent: m.resent, ackedBelow: m.ackedBelow });
              if (m.error) reject(labErrorFrom(m.error) ?? Object.assign(new Error(m.error.message), m.error));
            });
            w.on('error', reject);
            w.on('exit', (code) =>
              code === 0 ? resolveLane() : reject(signal.reason ?? new InternalError(`a producer lane's thread exited with code ${code}`)),
            );
          }),
      ),
    );
    const failed = ended.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (e) {
    stopAll();
    throw e;
  } finally {
    signal.removeEventListener('abort', stopAll);
  }
}
