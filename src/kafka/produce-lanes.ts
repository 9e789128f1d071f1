import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProducerEngine } from '../domain/producer-engine';
import { InternalError, labErrorFrom } from '../errors';
import { runKafkajsLane } from './kafkajs-lane';
import type { LaneProgress, LaneSpec } from './lane';
import { runNativeLane } from './native-lane';
import { runPlatformaticLane } from './platformatic-lane';

/** Sends one lane's messages on the lane's engine. */
export function runLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  if (spec.producer === 'librdkafka') return runNativeLane(spec, report, signal);
  if (spec.producer === 'platformatic') return runPlatformaticLane(spec, report, signal);
  return runKafkajsLane(spec, report, signal);
}

/** A lane's error as it crosses from its thread: a LabError's fields, or a KafkaJS error's name and flag. */
type LaneError = { name: string; message: string; retriable?: boolean; type?: string; fix?: string; retryable?: boolean };

/**
 * An unpaced load smaller than this runs in one lane on the activity's own thread: a lane's thread
 * takes about a second to start (it loads the TypeScript again), and on 2 cores one lane sent
 * 300,000 records sooner than two (platformatic 96-111k/s against 81-97k/s; kafkajs 74-77k
 * against 69-75k). A paced load keeps its lanes, so a dead broker stops only the lane it leads.
 */
export const LANE_THREADS_FROM = 500_000;

/**
 * How many lanes: one for a small unpaced load (LANE_THREADS_FROM); kafkajs and platformatic, one
 * per core the machine has (for an unpaced load, one core fewer: it leaves a core to the rest, a
 * local lab's brokers above all), never more than partitions, at most 4; librdkafka, one (its addon
 * loads in one thread of a process only, and its own threads do the I/O). On 2 cores, once records
 * cost ~1.5 us to build, one platformatic lane sent 10^6 records at 148-151k/s, two at 90-132k/s.
 */
export function laneCount(load: { partitions: number; producer?: ProducerEngine; count: number; rate?: number }): number {
  if (load.producer === 'librdkafka' || (!load.rate && load.count < LANE_THREADS_FROM)) return 1;
  const cores = availableParallelism();
  return Math.max(1, Math.min(load.partitions, load.rate ? cores : cores - 1, 4));
}

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
