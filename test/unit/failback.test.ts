import { describe, expect, it } from 'vitest';
import { FailbackLedger, failbackFigures, failbackGateProblems, failbackProblems, type ReverseState } from '../../src/domain/failback';
import type { StrandedAction } from '../../src/domain/disaster';

/**
 * One partition, so offsets and seqs line up: the primary acknowledged seqs 0..99 (offsets 0..99),
 * the mirror had 0..89 when it stopped (90..99 stranded), the DR side wrote 100..159 at offsets
 * 0..59 of its own topic (the group processed all 60 there), the failback wrote 160..189 at the
 * primary's offsets 100..129.
 */
const up = { first: 0, count: 100, partitions: 1, ackedBelow: { 0: 100 } };
const fb = { first: 160, count: 30 };

function feed(
  action: StrandedAction,
  o: {
    reverseResumedAt?: number;
    republish?: boolean;
    leak?: boolean;
    forwardMissing?: number;
    primaryResumedAt?: number;
    backMissing?: number[];
  } = {},
) {
  const dr = { start: { 0: 0 }, end: { 0: 60 } };
  // the reverse copy: the DR topic's records at the same offsets (a fresh topic); republished ones after the 60 DR writes
  const drRecords = Array.from({ length: 60 }, (_, i) => ({ offset: i, seq: 100 + i, republished: false }));
  if (o.republish) for (let i = 0; i < 10; i++) drRecords.push({ offset: 60 + i, seq: 90 + i, republished: true });
  const end = drRecords.length;
  const reverse: ReverseState[] = [
    {
      partition: 0,
      resumedAt: o.reverseResumedAt ?? 51,
      end,
      checkpoint: { upstreamOffset: 60, downstreamOffset: o.reverseResumedAt ?? 51 },
      // the nearest sync is at 50; the store went through it (or, resumed further back, through none)
      syncs: { nearest: 50, bestDownstream: 51, ...(o.reverseResumedAt === undefined || o.reverseResumedAt === 51 ? { used: 50 } : {}) },
    },
  ];
  const l = new FailbackLedger(up, fb, action, dr, reverse, [{ partition: 0, resumedAt: o.primaryResumedAt ?? 100, end: 130 }]);
  for (let s = 0; s < 90; s++) l.mirroredBeforeStop(s);
  for (let s = 0; s < 100; s++) l.primaryBeforeReturn(0, s, s);
  for (const r of drRecords) l.drTopic(0, r.offset, r.seq, r.republished);
  for (const r of drRecords) if (!o.backMissing?.includes(r.seq)) l.reverse(0, r.offset, r.seq);
  for (let i = 0; i < 30; i++) l.primaryAfterReturn(0, 100 + i, 160 + i);
  for (let i = 0; i < 30 - (o.forwardMissing ?? 0); i++) l.mirroredAfterResume(160 + i);
  if (o.leak) for (let s = 90; s < 100; s++) l.mirroredAfterResume(s);
  for (let s = 0; s < 190; s++) l.index(s);
  return l.result();
}

describe('failback accounting', () => {
  it('accounts for a clean failback that republished the stranded records: each moved back, processed once, twice only by the reverse translation', () => {
    const a = feed('republish', { republish: true });
    expect(a.stranded).toEqual({
      action: 'republish',
      records: 10,
      partitions: [{ partition: 0, count: 10, firstOffset: 90, lastOffset: 99 }],
      republished: 10,
      republishedTwice: 0,
      leaked: 0,
    });
    expect(a.reverse).toEqual({ expected: 70, movedBack: 70, missing: 0, copiedTwice: 0 });
    expect(a.forward).toEqual({ written: 30, onPrimary: 30, mirrored: 30, missing: 0 });
    // the republished 10 and the failback's 30 are new to the group; 51..59 it had processed on the DR side
    expect(a.group).toMatchObject({ expected: 40, processed: 40, skipped: 0, twiceByReverseTranslation: 9 });
    expect(a.group.partitions[0]).toMatchObject({ twice: 9, twiceBound: 10 });
    expect(a.index).toEqual({ expected: 40, indexed: 40, missing: 0 });
    expect(failbackProblems(a, 'dst.t', 'src.t')).toEqual([]);
  });

  it('names each culprit: stranded records leaked by the forward mirror under report, records the reverse mirror lost, a group resumed too late', () => {
    const leaked = feed('report', { leak: true });
    expect(leaked.stranded.leaked).toBe(10);
    expect(failbackProblems(leaked, 'dst.t', 'src.t')).toEqual([
      'the forward mirror carried 10 stranded record(s) to src.t after failback, though --stranded report leaves them on the primary (first: 90, 91, 92, 93, 94, 95, 96, 97, 98, 99)',
    ]);
    const lost = feed('report', { backMissing: [101, 102] });
    expect(lost.reverse).toMatchObject({ expected: 60, movedBack: 58, missing: 2 });
    expect(failbackProblems(lost, 'dst.t', 'src.t')[0]).toMatch(
      /the reverse mirror brought back 58 of the 60 .* 2 missing from dst.t \(first: 101, 102\)/,
    );
    // republish that wrote nothing: the stranded records are missing on the DR side
    expect(failbackProblems(feed('republish'), 'dst.t', 'src.t')).toContain(
      '10 of the 10 stranded record(s) were not republished on the DR side',
    );
    // the group resumed past the republished records: skipped, by seq
    const late = feed('republish', { republish: true, reverseResumedAt: 65 });
    expect(late.group.skipped).toBe(5);
    expect(failbackProblems(late, 'dst.t', 'src.t')).toContain('the group skipped 5 record(s) after failback (first: 90, 91, 92, 93, 94)');
    const forward = feed('report', { forwardMissing: 3 });
    expect(failbackProblems(forward, 'dst.t', 'src.t')[0]).toMatch(/carried 27 of the 30 .* 3 missing \(first: 187, 188, 189\)/);
  });

  it('judges the reverse translation by the syncs: through a sync it wrote, twice-processed bounded by it; through none, or past the nearest, named', () => {
    const through = feed('report', { reverseResumedAt: 51 });
    expect(through.group.partitions[0]).toMatchObject({ twice: 9, twiceBound: 10 });
    expect(failbackProblems(through, 'dst.t', 'src.t')).toEqual([]);
    const unexplained = feed('report', { reverseResumedAt: 40 });
    expect(failbackProblems(unexplained, 'dst.t', 'src.t')).toEqual([
      'dst.t[0]: MirrorMaker 2 translated upstream offset 60 to 40, which no reverse offset sync it wrote explains',
    ]);
    const past = feed('report', { reverseResumedAt: 58 });
    expect(failbackProblems(past, 'dst.t', 'src.t')).toEqual([
      'dst.t[0]: MirrorMaker 2 translated upstream offset 60 to 58, past the 51 its nearest reverse offset sync (50) allows',
    ]);
  });

  it('times the failback from the primary back to both producers and consumers serving, and gates on it; an unseen mark is unknown and fails the gate', () => {
    const f = failbackFigures({
      startedAt: 1_000,
      backAt: 21_000,
      firstAckPrimary: 33_000,
      firstProcessedPrimary: 36_500,
      reverse: { registeredAt: 22_000, caughtUpAt: 27_000 },
    });
    expect(f).toMatchObject({
      seconds: 15.5,
      producersSeconds: 12,
      consumersSeconds: 15.5,
      totalSeconds: 35.5,
      reverseCatchUpSeconds: 5,
    });
    expect(failbackGateProblems(f, 20)).toEqual([]);
    expect(failbackGateProblems(f, 10)).toEqual(['failback took 15.5 s, over --max-failback-seconds 10']);
    const unseen = failbackFigures({
      startedAt: 1_000,
      backAt: 21_000,
      firstAckPrimary: 33_000,
      reverse: { registeredAt: 1, caughtUpAt: 2 },
    });
    expect(unseen.seconds).toBeUndefined();
    expect(failbackGateProblems(unseen, 60)).toEqual([
      'failback duration unknown (the group processed no record on the returned primary), and --max-failback-seconds needs it',
    ]);
  });
});
