import { describe, expect, it } from 'vitest';
import {
  FailoverLedger,
  failoverBounds,
  failoverProblems,
  sparseSyncs,
  translationAllows,
  type FailoverPartitionState,
} from '../../src/domain/failover';
import { syncsBehind } from '../../src/mirror/offset-syncs';
import { decodeCheckpoint, type Checkpoint } from '../../src/mirror/checkpoints';

/** Encodes a checkpoint as the connector does, for round trips through the decoder. */
function encodeCheckpoint(c: Checkpoint): { key: Buffer; value: Buffer } {
  const str = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(b.length);
    return Buffer.concat([len, b]);
  };
  const partition = Buffer.alloc(4);
  partition.writeInt32BE(c.partition);
  const head = Buffer.alloc(18);
  head.writeInt16BE(0, 0);
  head.writeBigInt64BE(BigInt(c.upstreamOffset), 2);
  head.writeBigInt64BE(BigInt(c.downstreamOffset), 10);
  return { key: Buffer.concat([str(c.group), str(c.topic), partition]), value: Buffer.concat([head, str(c.metadata)]) };
}

describe('MirrorMaker 2 checkpoint records', () => {
  it('decodes the bytes the checkpoint connector writes', () => {
    // key: STRING group, STRING topic, INT32 partition; value: INT16 version, INT64 upstream, INT64 downstream, STRING metadata
    const key = Buffer.from([0, 2, 0x67, 0x31, 0, 3, 0x73, 0x2e, 0x74, 0, 0, 0, 2]);
    const value = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x2c, 0, 0, 0, 0, 0, 0, 0, 0xfa, 0, 0]);
    expect(decodeCheckpoint(key, value)).toEqual({
      group: 'g1',
      topic: 's.t',
      partition: 2,
      upstreamOffset: 300,
      downstreamOffset: 250,
      metadata: '',
    });
  });

  it('round-trips through the encoder the tests use', () => {
    const c = {
      group: 'consumer-1-failover-ab12',
      topic: 'src.peter-avro01-kafka1',
      partition: 1,
      upstreamOffset: 12345678901,
      downstreamOffset: 12,
      metadata: 'm',
    };
    const { key, value } = encodeCheckpoint(c);
    expect(decodeCheckpoint(key, value)).toEqual(c);
  });

  it('refuses a value version it does not know', () => {
    const { key, value } = encodeCheckpoint({ group: 'g', topic: 't', partition: 0, upstreamOffset: 1, downstreamOffset: 1, metadata: '' });
    value.writeInt16BE(1, 0);
    expect(() => decodeCheckpoint(key, value)).toThrow(/version 1/);
  });
});

/**
 * A run of 300 messages over 3 partitions (seq % 3), each written upstream at offset seq / 3 and
 * mirrored downstream at the same offset (an empty topic on both sides).
 */
function scenario(states: FailoverPartitionState[], opts: { downstreamShift?: number } = {}) {
  const ledger = new FailoverLedger('consumer-1-failover-x', { first: 0, count: 300 }, states);
  for (let seq = 0; seq < 300; seq++) ledger.upstream(seq % 3, Math.floor(seq / 3), seq);
  for (let seq = 0; seq < 300; seq++) ledger.downstream(seq % 3, Math.floor(seq / 3) + (opts.downstreamShift ?? 0), seq);
  const a = ledger.result(failoverBounds({ checkpointIntervalSeconds: 10, offsetLagMax: 100 }), (seq) => seq % 3);
  return { a, problems: failoverProblems(a, 'src.t') };
}

const state = (
  partition: number,
  committed: number,
  checkpoint: [number, number, number] | undefined,
  resumedAt: number,
): FailoverPartitionState => ({
  partition,
  committed,
  ...(checkpoint
    ? { checkpoint: { upstreamOffset: checkpoint[0], downstreamOffset: checkpoint[1], at: 0, ageSeconds: checkpoint[2] } }
    : {}),
  resumedAt,
  end: 100,
  startedAt: resumedAt,
});

describe('FailoverLedger', () => {
  it('passes a clean failover and splits the twice-processed by cause', () => {
    // p0: committed 50, checkpoint at 45 -> 45: 5 committed after the checkpoint are processed again
    // p1: committed 50, checkpoint at 50, but translated through an older sync to 40: 10 again by translation
    // p2: nothing after the checkpoint: resumes exactly where it stopped
    const { a, problems } = scenario([state(0, 50, [45, 45, 4], 45), state(1, 50, [50, 40, 4], 40), state(2, 60, [60, 60, 4], 60)]);
    expect(problems).toEqual([]);
    expect(a).toMatchObject({
      expected: 300,
      processedUpstream: 160,
      skipped: 0,
      twice: 15,
      twiceAfterCheckpoint: 5,
      twiceByTranslation: 10,
    });
    expect(a.partitions.map((p) => [p.twiceAfterCheckpoint, p.twiceByTranslation, p.skipped])).toEqual([
      [5, 0, 0],
      [0, 10, 0],
      [0, 0, 0],
    ]);
    expect(a.processedDownstream).toBe(300 - 45 - 40 - 60);
  });

  it('names the partition, the offset and the count when the group resumed past messages it never processed', () => {
    const { a, problems } = scenario([state(0, 50, [50, 50, 4], 50), state(1, 50, [50, 50, 4], 57), state(2, 50, [50, 50, 4], 50)]);
    expect(a.skipped).toBe(7);
    expect(a.examples.skipped).toEqual([151, 154, 157, 160, 163, 166, 169]);
    expect(problems).toEqual([
      'src.t[1]: 7 message(s) the group had not processed upstream were skipped: it resumed at offset 57, past them',
    ]);
  });

  it('names a checkpoint ahead of what the group committed, and a partition without a checkpoint', () => {
    const { a, problems } = scenario([state(0, 50, [60, 60, 4], 60), state(1, 50, undefined, 100), state(2, 50, [50, 50, 4], 50)]);
    expect(a.skipped).toBe(10 + 50);
    expect(problems[0]).toMatch(/src\.t\[0\]: the checkpoint says the group was at upstream offset 60, but it had committed only 50/);
    expect(problems[1]).toMatch(/src\.t\[0\]: 10 message\(s\) .* skipped/);
    expect(problems[2]).toMatch(/src\.t\[1\]: no checkpoint of group consumer-1-failover-x, so it resumed at the end \(offset 100\)/);
    expect(problems[3]).toMatch(/src\.t\[1\]: 50 message\(s\)/);
  });

  it('holds the twice-processed to the bounds: a stale checkpoint and a translation past offset.lag.max', () => {
    // p0: the checkpoint was 30 s old and 20 were committed after it; p1: translated through a sync 48 records back (within 100)
    const { a, problems } = scenario([state(0, 50, [30, 30, 30], 30), state(1, 50, [50, 2, 4], 2), state(2, 50, [50, 50, 4], 50)]);
    expect(a.skipped).toBe(0);
    expect(a.twiceAfterCheckpoint).toBe(20);
    expect(a.twiceByTranslation).toBe(48);
    expect(problems).toEqual([
      'src.t[0]: the last checkpoint was 30.0 s old when upstream went down (emitted every 10 s, at most 15 s expected): 20 message(s) committed after it were processed twice',
    ]);
    const tight = new FailoverLedger('g', { first: 0, count: 300 }, [state(0, 50, [50, 2, 4], 2)]);
    for (let seq = 0; seq < 300; seq += 3) {
      tight.upstream(0, seq / 3, seq);
      tight.downstream(0, seq / 3, seq);
    }
    const b = tight.result(failoverBounds({ checkpointIntervalSeconds: 10, offsetLagMax: 20 }), (seq) => seq % 3);
    expect(failoverProblems(b, 'src.t').join('\n')).toMatch(
      /src\.t\[0\]: 48 message\(s\) the group had committed before the checkpoint were processed again.*offset\.lag\.max \(20\)/,
    );
  });

  it('does not count a copy the mirror wrote twice as the group processing it twice', () => {
    const ledger = new FailoverLedger('g', { first: 0, count: 3 }, [state(0, 1, [1, 1, 1], 1)]);
    ledger.upstream(0, 0, 0);
    ledger.downstream(0, 1, 1);
    ledger.downstream(0, 2, 1); // MirrorMaker 2 re-sent seq 1 after upstream came back
    ledger.downstream(0, 3, 2);
    const a = ledger.result(failoverBounds({ checkpointIntervalSeconds: 10, offsetLagMax: 100 }), () => 0);
    expect(a).toMatchObject({ skipped: 0, twice: 0, processedDownstream: 2 });
  });
});

describe('the offset syncs behind a checkpoint', () => {
  // what a lab's source connector wrote for one partition of a 2,000-record run: a sync every 101 records and one at the end
  const syncs = [...Array.from({ length: 20 }, (_, i) => i * 101), 1999].map((o) => ({ upstreamOffset: o, downstreamOffset: o }));

  it('finds the sync a checkpoint went through, the nearest one and the newest', () => {
    // MirrorMaker 2 on the lab translated a group at 789, trailing the newest sync, through the sync at 0
    expect(syncsBehind(syncs, 789, 1)).toEqual({ nearest: 707, bestDownstream: 708, newest: 1999, used: 0 });
    expect(syncsBehind(syncs, 1999, 1999)).toEqual({ nearest: 1999, bestDownstream: 1999, newest: 1999, used: 1999 });
    expect(syncsBehind(syncs, 789, 500)).toEqual({ nearest: 707, bestDownstream: 708, newest: 1999 });
    expect(syncsBehind([], 789, 1)).toBeUndefined();
  });

  const withSyncs = (p: FailoverPartitionState, syncs: NonNullable<FailoverPartitionState['syncs']>): FailoverPartitionState => ({
    ...p,
    syncs,
  });

  it('bounds the twice-processed by the sync translated through, and counts what the sparse store gave back', () => {
    // p0 trailed the newest sync (99) and was translated through sync 0, though 40 was nearer: 49 given back, 40 of them for the sparse store
    const { a, problems } = scenario([
      withSyncs(state(0, 50, [50, 1, 4], 1), { nearest: 40, bestDownstream: 41, newest: 99, used: 0 }),
      withSyncs(state(1, 50, [50, 50, 4], 50), { nearest: 50, bestDownstream: 50, newest: 50, used: 50 }),
      withSyncs(state(2, 50, [50, 41, 4], 41), { nearest: 40, bestDownstream: 41, newest: 40, used: 40 }),
    ]);
    expect(problems).toEqual([]);
    expect(a.partitions.map((p) => [p.twiceByTranslation, translationAllows(p, a.bounds), sparseSyncs(p)])).toEqual([
      [49, 49, 40],
      [0, 0, 0],
      [9, 9, 0],
    ]);
  });

  it('names a translation past the nearest sync, and a caught-up group translated through an older sync', () => {
    const { problems } = scenario([
      withSyncs(state(0, 50, [50, 55, 4], 55), { nearest: 50, bestDownstream: 50, newest: 50, used: 54 }),
      withSyncs(state(1, 50, [50, 21, 4], 21), { nearest: 45, bestDownstream: 46, newest: 45, used: 20 }),
      withSyncs(state(2, 50, [50, 50, 4], 50), { nearest: 50, bestDownstream: 50, newest: 50, used: 50 }),
    ]);
    expect(problems).toEqual([
      'src.t[0]: MirrorMaker 2 translated upstream offset 50 to 55, past the 50 its nearest offset sync (50) allows: a group resuming there skips records',
      'src.t[0]: 5 message(s) the group had not processed upstream were skipped: it resumed at offset 55, past them',
      'src.t[1]: the group was at or past the newest offset sync (45), yet MirrorMaker 2 translated it through the older sync at 20: 25 more record(s) given back than offset.lag.max (100) allows',
    ]);
  });
});
