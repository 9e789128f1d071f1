import { describe, expect, it } from 'vitest';
import { DisasterLedger, DisasterSchema, disasterGateProblems, disasterProblems, rpoFigures, rtoFigures } from '../../src/domain/disaster';
import { failoverBounds, failoverProblems } from '../../src/domain/failover';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { drillInputFromFlags } from '../../src/cli/drill-flags';
import type { DrillConfig } from '../../src/domain/drill-input';

const T = 1_800_000_000_000;

describe('RPO', () => {
  it('counts the stranded records per partition, and as time from the oldest to the disaster', () => {
    const rpo = rpoFigures(
      [
        { partition: 2, count: 4, oldestProducedAt: T - 1500, firstOffset: 40 },
        { partition: 0, count: 6, oldestProducedAt: T - 20_000, firstOffset: 90 },
        { partition: 1, count: 0 },
      ],
      T,
    );
    expect(rpo.records).toBe(10);
    expect(rpo.seconds).toBe(20);
    expect(rpo.partitions.map((p) => p.partition)).toEqual([0, 2]);
  });
  it('is zero when nothing was stranded', () => {
    expect(rpoFigures([{ partition: 0, count: 0 }], T)).toEqual({ records: 0, partitions: [], seconds: 0 });
  });
});

describe('RTO', () => {
  it('measures producers, consumers and the index from the disaster, and the slowest of them', () => {
    expect(rtoFigures({ disasterAt: T, firstAckDr: T + 4200, firstProcessedDr: T + 9000, indexFreshAt: T + 12_340 })).toEqual({
      producersSeconds: 4.2,
      consumersSeconds: 9,
      indexSeconds: 12.3,
      seconds: 12.3,
      unknown: [],
    });
  });
  it('says what it could not observe, and gives no overall figure then', () => {
    const rto = rtoFigures({ disasterAt: T, firstAckDr: T + 1000 });
    expect(rto.seconds).toBeUndefined();
    expect(rto.unknown).toEqual(['the group processed no record on the DR side', 'no record written on the DR side reached the index']);
  });
  it('takes a mark from before the disaster for a mis-timing, not for an instant recovery', () => {
    const rto = rtoFigures({ disasterAt: T, firstAckDr: T - 500, firstProcessedDr: T + 2000, indexFreshAt: T + 3000 });
    expect(rto.producersSeconds).toBeUndefined();
    expect(rto.seconds).toBeUndefined();
    expect(rto.unknown).toEqual(['the first acknowledgement on the DR side came 0.5 s before the disaster']);
  });
});

describe('the disaster gates', () => {
  const d = (input: object) => DisasterSchema.parse(input);
  const rto = rtoFigures({ disasterAt: T, firstAckDr: T + 1000, firstProcessedDr: T + 2000, indexFreshAt: T + 3000 });
  it('fail on figures over their limits, and pass on figures within', () => {
    const rpo = rpoFigures([{ partition: 0, count: 10_000, oldestProducedAt: T - 20_000 }], T);
    expect(disasterGateProblems(rpo, rto, d({ maxRpoRecords: 100, maxRpoSeconds: 5, maxRtoSeconds: 2 }))).toEqual([
      'RPO 10000 records stranded, over --max-rpo-records 100',
      'RPO 20 s (the oldest stranded record), over --max-rpo-seconds 5',
      'RTO 3 s, over --max-rto-seconds 2',
    ]);
    expect(disasterGateProblems(rpo, rto, d({ maxRpoRecords: 10_000, maxRpoSeconds: 20, maxRtoSeconds: 3 }))).toEqual([]);
  });
  it('never pass on a figure that could not be observed', () => {
    expect(disasterGateProblems(undefined, rto, d({ maxRpoRecords: 0 }))).toEqual([
      "RPO unknown: the primary's logs could not be read, so the stranded records could not be counted",
    ]);
    expect(disasterGateProblems(undefined, rtoFigures({ disasterAt: T }), d({ maxRtoSeconds: 60 }))[0]).toMatch(
      /^RTO unknown \(no record was acknowledged/,
    );
    // without gates nothing is judged here (the accounting still is)
    expect(disasterGateProblems(undefined, rtoFigures({ disasterAt: T }), d({}))).toEqual([]);
  });
  it('refuses negative or impossible limits and an outage too short to rehearse', () => {
    expect(DisasterSchema.safeParse({ maxRpoRecords: -1 }).success).toBe(false);
    expect(DisasterSchema.safeParse({ maxRtoSeconds: 0 }).success).toBe(false);
    expect(DisasterSchema.safeParse({ outageSeconds: 5 }).success).toBe(false);
    expect(DisasterSchema.parse({})).toEqual({ afterSeconds: 30, outageSeconds: 60, pauseMirrorSeconds: 0, failback: false });
    expect(DisasterSchema.safeParse({ failback: true, stranded: 'drop' }).success).toBe(false);
    expect(DisasterSchema.safeParse({ failback: true, maxFailbackSeconds: 0 }).success).toBe(false);
  });
});

describe('the disaster ledger', () => {
  // 3 partitions, seqs 0..59 planned upstream (20 a partition); acknowledged below 45 in each partition
  const up = { first: 0, count: 60, partitions: 3, ackedBelow: { 0: 45, 1: 45, 2: 45 } };
  const bounds = failoverBounds({ checkpointIntervalSeconds: 10, offsetLagMax: 100 });
  // offset of seq s in its partition: s / 3 (the run began at offset 0 everywhere)
  const off = (s: number) => Math.floor(s / 3);
  function run(opts: {
    mirroredBelow: number;
    primaryBelow: number;
    lostFromPrimary?: number[];
    drProcessedEnd?: number;
    drStart?: Record<number, number>;
    notIndexed?: number[];
    /** The checkpoint went through an older offset sync than the nearest (translated to `resumedAt`). */
    sparse?: { resumedAt: number; syncs: { nearest: number; bestDownstream: number; newest: number; used: number } };
  }) {
    const states = [0, 1, 2].map((partition) => ({
      partition,
      committed: 5, // the group committed offset 5 (seqs below 15) on the primary
      checkpoint: { upstreamOffset: 5, downstreamOffset: opts.sparse?.resumedAt ?? 5, at: T - 1000, ageSeconds: 1 },
      resumedAt: opts.sparse?.resumedAt ?? 5,
      ...(opts.sparse ? { syncs: opts.sparse.syncs } : {}),
      end: off(opts.mirroredBelow - 1) + 1,
    }));
    const dr = { first: 60, count: 30 };
    const ledger = new DisasterLedger(
      up,
      dr,
      'g',
      states,
      {
        0: opts.drProcessedEnd ?? 10,
        1: opts.drProcessedEnd ?? 10,
        2: opts.drProcessedEnd ?? 10,
      },
      opts.drStart ?? { 0: 0, 1: 0, 2: 0 },
    );
    for (let s = 0; s < opts.mirroredBelow; s++) ledger.mirror(s % 3, off(s), s);
    for (let s = 0; s < opts.primaryBelow; s++)
      if (!opts.lostFromPrimary?.includes(s)) ledger.primary(s % 3, off(s), s, T - 10_000 + s * 100);
    for (let s = 60; s < 90; s++) ledger.drTopic(s % 3, Math.floor((s - 60) / 3), s);
    for (let s = 0; s < 90; s++) if ((s < opts.mirroredBelow || s >= 60) && !opts.notIndexed?.includes(s)) ledger.index(s);
    return { ledger, a: ledger.result(bounds), g: ledger.groupAccounting(bounds) };
  }
  it('counts as stranded what the primary acknowledged and kept but never mirrored, and as in flight what it wrote unacknowledged', () => {
    const { ledger, a, g } = run({ mirroredBelow: 30, primaryBelow: 48 });
    expect(a.upstream).toEqual({
      acknowledged: 45,
      mirrored: 30,
      stranded: 15,
      lostAcknowledged: 0,
      writtenUnacknowledged: 3,
      unacknowledgedMirrored: 0,
      mirroredTwice: 0,
    });
    const rpo = rpoFigures(ledger.stranded(), T);
    expect(rpo.records).toBe(15);
    // the oldest stranded is seq 30, produced at T - 10 s + 3 s
    expect(rpo.seconds).toBe(7);
    expect(a.group.skipped).toBe(0);
    expect(a.dr).toEqual({ first: 60, written: 30, found: 30, missing: 0 });
    expect(a.index).toEqual({ expected: 60, indexed: 60, missing: 0 });
    expect(disasterProblems(a, g, 'src.t', 't')).toEqual([]);
  });
  it('names each culprit: an acknowledged record gone from the primary, a skipped record on the DR side, a document not indexed', () => {
    const { a, g } = run({ mirroredBelow: 30, primaryBelow: 45, lostFromPrimary: [40], drProcessedEnd: 9, notIndexed: [61] });
    expect(a.upstream.lostAcknowledged).toBe(1);
    expect(a.upstream.stranded).toBe(14);
    expect(a.group.skipped).toBe(3);
    expect(a.index.missing).toBe(1);
    const problems = disasterProblems(a, g, 'src.t', 't');
    expect(problems.join('\n')).toMatch(/the primary lost 1 acknowledged record\(s\).*first: 40/);
    expect(problems.join('\n')).toMatch(/t: the group skipped 3 record\(s\) written on the DR side/);
    expect(problems.join('\n')).toMatch(/consumer-2 indexed 59 of the 60 .*\(first: 61\)/);
  });
  it('takes a translation through an older sync under live traffic as explained, bounded by the sync it went through', () => {
    // translated through the sync at 1 (to 2) though one at 4 was written: the store had not read it yet
    const sparse = { resumedAt: 2, syncs: { nearest: 4, bestDownstream: 5, newest: 4, used: 1 } };
    const { a, g } = run({ mirroredBelow: 30, primaryBelow: 45, sparse });
    expect(a.group.twiceByTranslation).toBe(9);
    expect(disasterProblems(a, g, 'src.t', 't')).toEqual([]);
    // the failover drill, whose checkpoints come after the traffic, still calls it MirrorMaker 2's fault
    expect(failoverProblems(g, 'src.t').join('\n')).toMatch(/yet MirrorMaker 2 translated it through the older sync at 1/);
  });
  it('counts as skipped what lies before the first offset the group was handed on the DR topic', () => {
    const { a } = run({ mirroredBelow: 30, primaryBelow: 45, drStart: { 0: 2, 1: 0, 2: 0 } });
    expect(a.group.skipped).toBe(2);
    expect(a.examples.skipped).toEqual([60, 63]);
  });
  it('gives no RPO in seconds when a stranded record carries no produce time', () => {
    const ledger = new DisasterLedger(up, { first: 60, count: 0 }, 'g', [], {});
    ledger.primary(0, 0, 0, T - 5000);
    ledger.primary(1, 0, 1, Number(undefined));
    const rpo = rpoFigures(ledger.stranded(), T);
    expect(rpo).toMatchObject({ records: 2 });
    expect(rpo.seconds).toBeUndefined();
    expect(disasterGateProblems(rpo, rtoFigures({ disasterAt: T }), DisasterSchema.parse({ maxRpoSeconds: 60 }))).toEqual([
      'RPO in seconds unknown: a stranded record carries no produce time, and --max-rpo-seconds needs it',
    ]);
  });
});

describe('a disaster drill refused before it starts (exit 2)', () => {
  const problem = (input: object) => {
    const r = resolveDrillInput(input);
    return 'problem' in r ? r.problem : undefined;
  };
  it('against a target, with --failover, with other faults, with an RTO gate it cannot judge, or a load that ends first', () => {
    expect(
      problem({
        disaster: {},
        target: {
          upstreamBootstrap: ['a:1'],
          downstreamBootstrap: ['b:1'],
          connectUrl: 'http://c:1',
          schemaRegistryUrl: 'http://d:1',
          elasticsearchUrl: 'http://e:1',
          prometheusUrl: 'http://f:1',
        },
      }),
    ).toMatch(/only a lab this tool provisioned/);
    expect(problem({ disaster: {}, failover: true })).toMatch(/--failover and --disaster/);
    expect(problem({ disaster: {}, faults: { deleteMirroredRecords: 1 } })).toMatch(/measures the disaster alone/);
    expect(problem({ disaster: { outageSeconds: 30, maxRtoSeconds: 30 } })).toMatch(/cannot be judged/);
    expect(problem({ disaster: { afterSeconds: 30 }, messages: 1000, rate: 500 })).toMatch(/ends before the disaster/);
    expect(problem({ disaster: { outageSeconds: 5 } })).toMatch(/outageSeconds/);
    expect(problem({ disaster: { maxRpoRecords: -1 } })).toMatch(/maxRpoRecords/);
    expect(problem({ disaster: { pauseMirrorSeconds: 30 } })).toMatch(/starts before the load does/);
    expect(problem({ disaster: {}, images: 'official' })).toMatch(/Schema Registry of its own/);
  });
  it('fails back only with Connect next to the DR cluster, and takes the failback settings only with --failback', () => {
    expect(problem({ disaster: { failback: true }, connectPlacement: 'upstream' })).toMatch(
      /Connect placed upstream it dies with the site/,
    );
    expect(problem({ disaster: { stranded: 'republish' } })).toBe('--stranded say how the drill fails back, and it does not');
    expect(problem({ disaster: { maxFailbackSeconds: 30, failbackLoadSeconds: 10 } })).toBe(
      '--max-failback-seconds, --failback-load say how the drill fails back, and it does not',
    );
    expect(problem({ disaster: { failback: true, stranded: 'republish' }, replicationPolicy: 'identity' })).toBeUndefined();
    expect(drillInputFromFlags({ disaster: true, failback: true, stranded: 'republish', 'replication-policy': 'identity' })).toEqual({
      disaster: { failback: true, stranded: 'republish' },
      replicationPolicy: 'identity',
    });
    expect(() => drillInputFromFlags({ failback: true })).toThrow(/--failback is a setting of --disaster/);
  });
  it('names the mirrored topic by the replication policy', () => {
    const identity = resolveDrillInput({ topic: 't', replicationPolicy: 'identity' }) as DrillConfig;
    expect(identity.mirroredTopic).toBe('t');
    expect((resolveDrillInput({ topic: 't' }) as DrillConfig).mirroredTopic).toBe('src.t');
    expect(problem({ replicationPolicy: 'prefix' })).toBe('unknown replication policy "prefix"');
  });
  it('takes its settings as flags only with --disaster', () => {
    expect(drillInputFromFlags({ disaster: true, outage: '30', 'max-rpo-records': '0' })).toEqual({
      disaster: { outageSeconds: 30, maxRpoRecords: 0 },
    });
    expect(drillInputFromFlags({ disaster: true })).toEqual({ disaster: {} });
    expect(() => drillInputFromFlags({ outage: '30' })).toThrow(/--outage is a setting of --disaster/);
  });
  it('plans a load of its own that outlasts the disaster, at 500 msg/s by default', () => {
    const c = resolveDrillInput({ disaster: {} });
    expect('problem' in c).toBe(false);
    if ('problem' in c) return;
    expect(c.rate).toBe(500);
    expect(c.messages).toBe(500 * (30 + 60));
  });
});
