import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readLabHeaders } from '../../src/domain/lab-headers';
import { SeqBits } from '../../src/domain/seq-bits';
import { STUDENT_SCHEMA_V1 } from '../../src/domain/student-schema';
import { allBelow, laneCursor, nextChunk, seqOfLaneKey } from '../../src/kafka/lane';
import { LANE_THREADS_FROM, laneCount } from '../../src/kafka/produce-lanes';

describe("a lane's next send", () => {
  it('carries a tenth of a second of messages when the lane is on time', () => {
    expect(nextChunk(250, 0, 0)).toBe(25);
    expect(nextChunk(250, 1000, 250)).toBe(25);
    expect(nextChunk(3, 0, 0)).toBe(1);
  });
  it('carries everything due when the lane fell behind, so a slow broker does not slow the load for good', () => {
    // 10 s into a 250 msg/s lane with 1,000 sent: 1,500 are due
    expect(nextChunk(250, 10_000, 1000)).toBe(1500);
    // never more than one send's worth
    expect(nextChunk(250, 60_000, 0)).toBe(2000);
  });
  it('carries a full send when the load is not rate-limited', () => {
    expect(nextChunk(0, 5, 10_000)).toBe(2000);
  });
});

describe("a lane's records", () => {
  const spec = (done: number[]) => {
    const bits = SeqBits.shared(10, 12);
    for (const s of done) bits.add(s);
    return {
      bootstrap: ['x:9092'],
      topic: 't',
      runId: 'r',
      generation: 1,
      schema: JSON.stringify(STUDENT_SCHEMA_V1),
      schemaId: 7,
      firstSeq: 10,
      count: 12,
      partitions: 3,
      partitionsOfLane: [1, 2],
      done: bits.buffer as SharedArrayBuffer,
      rate: 0,
    };
  };
  it("are the lane's partitions' seqs in order, none an earlier attempt wrote, each with its identity", () => {
    const cursor = laneCursor(spec([11, 14]));
    const first = cursor.take(3);
    expect(first.map((r) => [r.seq, r.partition])).toEqual([
      [10, 1],
      [13, 1],
      [16, 1],
    ]);
    expect(cursor.position).toBe(17);
    expect(first[0].key).toBe('r-10');
    expect(first[0].value[0]).toBe(0); // the Confluent wire format: magic byte, then the schema id
    expect(first[0].value.readInt32BE(1)).toBe(7);
    expect(readLabHeaders(first[0].headers)).toMatchObject({ runId: 'r', seq: '10', generation: '1' });
    expect(cursor.take(100).map((r) => r.seq)).toEqual([17, 19, 20]); // 11 and 14 were written before
    expect(cursor.finished).toBe(true);
    expect(allBelow(spec([]), 22)).toEqual({ 1: 22, 2: 22 });
  });
  it('run on librdkafka in one lane (its addon loads in one thread of a process), on kafkajs and platformatic in up to four', () => {
    const big = { partitions: 12, count: LANE_THREADS_FROM };
    expect(laneCount({ ...big, producer: 'librdkafka' })).toBe(1);
    for (const producer of ['kafkajs', 'platformatic'] as const) {
      expect(laneCount({ ...big, partitions: 1, producer })).toBe(1);
      expect(laneCount({ ...big, producer })).toBe(Math.max(1, Math.min(availableParallelism() - 1, 4)));
      // an unpaced load leaves a core to the rest; a small one is sent sooner than a thread starts; a paced one keeps its lanes
      expect(laneCount({ ...big, count: LANE_THREADS_FROM - 1, producer })).toBe(1);
      expect(laneCount({ ...big, count: 100, rate: 500, producer })).toBe(Math.min(availableParallelism(), 4));
    }
  });
  it("give back their seq from their key's bytes, as a delivery report returns it", () => {
    const records = laneCursor({ ...spec([]), runId: 'drill-lite-2026-x' }).take(3);
    expect(records.map((r) => seqOfLaneKey(Buffer.from(r.key)))).toEqual(records.map((r) => r.seq));
    expect(seqOfLaneKey(Buffer.from('no-seq-'))).toBeNaN();
    expect(seqOfLaneKey(Buffer.from('noseq'))).toBeNaN();
    expect(seqOfLaneKey(Buffer.from('run-12a'))).toBeNaN();
  });
});
