import type { KafkaAccess } from '../domain/access';
import { labHeader } from '../domain/lab-headers';
import type { ProducerEngine } from '../domain/producer-engine';
import { SeqBits } from '../domain/seq-bits';
import { schemaFields, studentMaker } from '../scenario/students';
import { wireEncoder } from '../schema/wire';

/**
 * What one lane of the drill's producer sends: the messages of a generation whose partition
 * (seq % partitions) is one of `partitionsOfLane`, except those `done` already holds. Each lane is
 * its own idempotent producer with acks=all, so per-partition order and exactly-once writes hold
 * per lane, and lanes never share a partition. The engines (kafkajs-lane.ts, native-lane.ts) share
 * this contract and the records (laneCursor).
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
  /** The client that sends (default kafkajs). */
  producer?: ProducerEngine;
  /**
   * A disaster drill's load: the cluster is expected to die at this time (epoch ms). Until then a
   * failed send fails the lane as usual; from then on it ends the lane quietly, and the lane stops
   * sending DISASTER_GRACE_MS later whatever happens.
   */
  stopAtMs?: number;
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

/** How long after its planned disaster a load goes on sending, waiting for the cluster to die. */
const DISASTER_GRACE_MS = 60_000;

/** The lane's planned disaster is due: from now on a failed send is the cluster dying, not a failure. */
export const disasterDue = (spec: LaneSpec) => spec.stopAtMs !== undefined && Date.now() >= spec.stopAtMs;

/** The lane's grace after its disaster is over: it stops sending whatever happens. */
export const disasterOver = (spec: LaneSpec) => spec.stopAtMs !== undefined && Date.now() >= spec.stopAtMs + DISASTER_GRACE_MS;

/**
 * How long a record may go unacknowledged. Producer retries take ~10 s through a leader move, so a
 * record still pending after this never will be: the lane fails (retryable) and the next attempt
 * resumes, rather than the step waiting out its start-to-close timeout.
 */
export const SEND_DEADLINE_MS = 120_000;

/** Messages per send: one produce request then carries a full batch for each of the lane's partitions. */
const CHUNK = 2000;

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

/** One record of the load, with the seq it carries (its partition is seq % partitions). */
export interface LaneRecord {
  seq: number;
  partition: number;
  key: string;
  value: Buffer;
  timestamp: number;
  headers: Record<string, string>;
}

/**
 * The lane's records in seq order, `take(n)` at a time: only its partitions, never one `done`
 * holds. `position` is the seq the next take starts from (every seq below it was handed out).
 */
export function laneCursor(spec: LaneSpec) {
  const done = SeqBits.over(spec.firstSeq, spec.count, spec.done);
  const encode = wireEncoder(spec.schemaId, spec.schema);
  const student = studentMaker(spec.runId, schemaFields(spec.schema));
  const mine = new Set(spec.partitionsOfLane);
  const end = spec.firstSeq + spec.count;
  let next = spec.firstSeq;
  return {
    get position() {
      return next;
    },
    get finished() {
      return next >= end;
    },
    take(n: number): LaneRecord[] {
      const records: LaneRecord[] = [];
      for (; next < end && records.length < n; next++) {
        const partition = next % spec.partitions;
        if (!mine.has(partition) || done.has(next)) continue;
        const timestamp = Date.now();
        records.push({
          seq: next,
          partition,
          key: laneKey(spec.runId, next),
          value: encode(student(next)),
          timestamp,
          headers: labHeader(spec.runId, next, spec.generation, timestamp),
        });
      }
      return records;
    },
  };
}

/** A lane record's key: the run and the seq, which seqOfLaneKey reads back. */
export const laneKey = (runId: string, seq: number) => `${runId}-${seq}`;

/**
 * The seq of a lane record's key (laneKey) read from its bytes, as a delivery report returns it:
 * cheaper than carrying the seq beside each record (librdkafka keeps an opaque value per record as
 * a persistent handle, which cost the native lane a tenth of its rate).
 */
export function seqOfLaneKey(key: Uint8Array): number {
  const dash = key.lastIndexOf(0x2d);
  if (dash < 0 || dash === key.length - 1) return NaN;
  let seq = 0;
  for (let i = dash + 1; i < key.length; i++) {
    const d = key[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    seq = seq * 10 + d;
  }
  return seq;
}

/** Per partition of the lane: every seq below `seq` (the `ackedBelow` of a LaneProgress). */
export const allBelow = (spec: LaneSpec, seq: number): Record<number, number> =>
  Object.fromEntries(spec.partitionsOfLane.map((p) => [p, seq]));
