import { z } from 'zod';
import { cli } from './field-meta';
import { FailoverLedger, failoverProblems, type FailoverAccounting, type FailoverBounds, type FailoverPartitionState } from './failover';
import { SeqBits } from './seq-bits';

/**
 * The disaster drill (issue 18), its pure part: the settings, and the figures a company rehearses
 * disaster recovery for. RPO: the acknowledged records the primary held and the mirror never got
 * (stranded), per partition and as time. RTO: from the disaster to the DR side serving producers,
 * consumers and the index again. A figure the drill could not observe is unknown, and an unknown
 * figure under a gate fails it: a gate never passes on missing evidence. Workflow-safe.
 */
/** What a failback does with the records the primary acknowledged and never mirrored. */
export const STRANDED_ACTIONS = ['report', 'republish'] as const;
export type StrandedAction = (typeof STRANDED_ACTIONS)[number];
export const FAILBACK_LOAD_SECONDS = 20;

export const DisasterSchema = z
  .strictObject({
    afterSeconds: z
      .number()
      .min(15)
      .max(3600)
      .default(30)
      .describe('when the primary data center dies, in seconds after the load starts (at least 15: the group needs a checkpoint)')
      .meta(cli({ flag: 'disaster-after', fix: 'give 15 to 3600 seconds' })),
    outageSeconds: z
      .number()
      .min(15)
      .max(86_400)
      .default(60)
      .describe('how long the DR side serves traffic after the disaster, before the primary is read again (at least 15)')
      .meta(cli({ flag: 'outage', fix: 'give 15 seconds or more: the failover itself takes several' })),
    maxRpoRecords: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('fail the drill when more acknowledged records are stranded on the primary')
      .meta(cli({ flag: 'max-rpo-records', fix: 'give a record count, 0 or more' })),
    maxRpoSeconds: z
      .number()
      .min(0)
      .optional()
      .describe('fail the drill when the oldest stranded record was produced longer than this before the disaster')
      .meta(cli({ flag: 'max-rpo-seconds', fix: 'give seconds, 0 or more' })),
    maxRtoSeconds: z
      .number()
      .positive()
      .optional()
      .describe('fail the drill when producers, consumers or the index serve from the DR side later than this after the disaster')
      .meta(cli({ flag: 'max-rto-seconds', fix: 'give seconds, more than 0' })),
    pauseMirrorSeconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .default(0)
      .describe(
        "planted loss: MirrorMaker 2's source connector paused this long right before the disaster (the drill must count what it strands)",
      )
      .meta(cli({ flag: 'pause-mirror-before-disaster' })),
    failback: z
      .boolean()
      .default(false)
      .describe(
        'after the outage the primary returns: a reverse mirror brings back what the DR side took, the group and the producers move back, the forward mirror resumes',
      )
      .meta(cli({ flag: 'failback' })),
    stranded: z
      .enum(STRANDED_ACTIONS)
      .optional()
      .describe(
        "failback: the primary's stranded records are listed and left in its log (report, the default), or written again on the DR side so the consumers see them once (republish)",
      )
      .meta(cli({ flag: 'stranded', fix: `use ${STRANDED_ACTIONS.join(' or ')}` })),
    failbackLoadSeconds: z
      .number()
      .min(5)
      .max(3600)
      .optional()
      .describe(`failback: how long the producers write to the primary after it returns (default ${FAILBACK_LOAD_SECONDS})`)
      .meta(cli({ flag: 'failback-load', fix: 'give 5 to 3600 seconds' })),
    maxFailbackSeconds: z
      .number()
      .positive()
      .optional()
      .describe('fail the drill when producers and consumers serve from the returned primary later than this after it is back')
      .meta(cli({ flag: 'max-failback-seconds', fix: 'give seconds, more than 0' })),
  })
  .describe(
    'the primary data center dies mid-load (every container SIGKILLed, the link cut), producers and the consumer group fail over to the DR side, and RPO and RTO are measured',
  )
  .meta(cli({ flag: 'disaster', kind: 'switch' }));

export type DisasterInput = z.input<typeof DisasterSchema>;
export type Disaster = z.output<typeof DisasterSchema>;

/** One partition's stranded records: acknowledged upstream before the disaster, never mirrored. */
export interface StrandedPartition {
  partition: number;
  count: number;
  /** Produce time (epoch ms) of its oldest stranded record. */
  oldestProducedAt?: number;
  /** Its first stranded offset in the primary's log. */
  firstOffset?: number;
  /** Stranded records without a produce time (no `producedAt` header): the RPO in seconds is then unknown. */
  undated?: number;
}

export interface RpoFigures {
  records: number;
  partitions: StrandedPartition[];
  /**
   * From the oldest stranded record's produce time to the site's death; 0 when nothing was stranded;
   * absent when a stranded record's produce time is unknown.
   */
  seconds?: number;
}

export function rpoFigures(stranded: StrandedPartition[], diedAt: number): RpoFigures {
  const partitions = stranded.filter((p) => p.count > 0).sort((a, b) => a.partition - b.partition);
  const records = partitions.reduce((n, p) => n + p.count, 0);
  if (partitions.some((p) => p.undated || p.oldestProducedAt === undefined)) return { records, partitions };
  const oldest = Math.min(...partitions.map((p) => p.oldestProducedAt!));
  // to the millisecond: at thousands of records a second, a tenth of a second is hundreds of records
  return { records, partitions, seconds: partitions.length ? Math.max(0, (diedAt - oldest) / 1000) : 0 };
}

/** When the DR side served again (epoch ms), each absent when the drill did not see it happen. */
export interface RtoMarks {
  disasterAt: number;
  /** The first record acknowledged by the DR cluster after the disaster. */
  firstAckDr?: number;
  /** The first record the consumer group processed on the DR side. */
  firstProcessedDr?: number;
  /** The first record written on the DR side found in the index. */
  indexFreshAt?: number;
}

export interface RtoFigures {
  producersSeconds?: number;
  consumersSeconds?: number;
  indexSeconds?: number;
  /** The slowest of the three: when the DR side served everyone; absent when any is unknown. */
  seconds?: number;
  /** What could not be observed, in words. */
  unknown: string[];
}

const MARKS: { key: keyof Omit<RtoMarks, 'disasterAt'>; figure: keyof RtoFigures; what: string; first: string }[] = [
  { key: 'firstAckDr', figure: 'producersSeconds', what: 'no record was acknowledged on the DR side', first: 'the first acknowledgement' },
  {
    key: 'firstProcessedDr',
    figure: 'consumersSeconds',
    what: 'the group processed no record on the DR side',
    first: "the group's first record",
  },
  {
    key: 'indexFreshAt',
    figure: 'indexSeconds',
    what: 'no record written on the DR side reached the index',
    first: 'the first indexed record',
  },
];

export function rtoFigures(m: RtoMarks): RtoFigures {
  const out: RtoFigures = { unknown: [] };
  for (const { key, figure, what, first } of MARKS) {
    const at = m[key];
    if (at === undefined) out.unknown.push(what);
    // a mark before the disaster is not a fast recovery: something was mis-timed, so the figure is unknown
    else if (at < m.disasterAt)
      out.unknown.push(`${first} on the DR side came ${((m.disasterAt - at) / 1000).toFixed(1)} s before the disaster`);
    else (out[figure] as number) = round1((at - m.disasterAt) / 1000);
  }
  if (out.unknown.length === 0) out.seconds = Math.max(out.producersSeconds!, out.consumersSeconds!, out.indexSeconds!);
  return out;
}

/** The gates the drill was given, judged against its own figures: one problem each that fails. */
export function disasterGateProblems(rpo: RpoFigures | undefined, rto: RtoFigures, d: Disaster): string[] {
  const problems: string[] = [];
  if ((d.maxRpoRecords !== undefined || d.maxRpoSeconds !== undefined) && !rpo)
    problems.push("RPO unknown: the primary's logs could not be read, so the stranded records could not be counted");
  if (rpo && d.maxRpoRecords !== undefined && rpo.records > d.maxRpoRecords)
    problems.push(`RPO ${rpo.records} records stranded, over --max-rpo-records ${d.maxRpoRecords}`);
  if (rpo && d.maxRpoSeconds !== undefined && rpo.seconds === undefined)
    problems.push('RPO in seconds unknown: a stranded record carries no produce time, and --max-rpo-seconds needs it');
  if (rpo?.seconds !== undefined && d.maxRpoSeconds !== undefined && rpo.seconds > d.maxRpoSeconds)
    problems.push(`RPO ${rpo.seconds} s (the oldest stranded record), over --max-rpo-seconds ${d.maxRpoSeconds}`);
  if (d.maxRtoSeconds !== undefined) {
    if (rto.seconds === undefined) problems.push(`RTO unknown (${rto.unknown.join('; ')}), and --max-rto-seconds needs it`);
    else if (rto.seconds > d.maxRtoSeconds) problems.push(`RTO ${rto.seconds} s, over --max-rto-seconds ${d.maxRtoSeconds}`);
  }
  return problems;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The upstream part of the run: the range the producer was given and what it saw acknowledged before the primary died. */
export interface UpstreamLoad {
  first: number;
  count: number;
  partitions: number;
  /** Per partition: every seq of that partition below this was acknowledged (the lanes send in order). */
  ackedBelow: Record<number, number>;
}

/** Every record of a disaster drill, accounted for. */
export interface DisasterAccounting {
  upstream: {
    /** Acknowledged by the primary before it died. */
    acknowledged: number;
    /** Of those, copied to the DR side by MirrorMaker 2. */
    mirrored: number;
    /** Acknowledged, never mirrored, still on the primary's disks: the RPO. */
    stranded: number;
    /** Acknowledged, never mirrored, and not on the primary's disks either: lost outright. */
    lostAcknowledged: number;
    /** Written (on the primary, and maybe mirrored) though the producer never saw the acknowledgement: in flight at the disaster. */
    writtenUnacknowledged: number;
    /** Of those, copied to the DR side. */
    unacknowledgedMirrored: number;
    /** Records MirrorMaker 2 wrote more than once downstream. */
    mirroredTwice: number;
  };
  dr: { first: number; written: number; found: number; missing: number };
  group: Omit<FailoverAccounting, 'partitions' | 'examples' | 'bounds' | 'expected'> & {
    /** The records the DR side held (mirrored, or written there): the group must process every one. */
    expected: number;
    processedDr: number;
    partitions: FailoverAccounting['partitions'];
  };
  index: { expected: number; indexed: number; missing: number };
  examples: { stranded: number[]; lostAcknowledged: number[]; skipped: number[]; notIndexed: number[] };
}

const EXAMPLES = 10;

/**
 * The disaster drill's ledger: the primary's surviving log, the mirrored topic and the DR topic,
 * the consumer group's positions on both sides, and the index, fed a record at a time (bits per
 * sequence number, so a million records cost a few hundred kilobytes). Pure and workflow-safe.
 */
export class DisasterLedger {
  private readonly onPrimary: SeqBits;
  private readonly mirrored: SeqBits;
  private readonly drFound: SeqBits;
  private readonly drProcessed: SeqBits;
  private readonly indexed: SeqBits;
  private readonly strandedBy = new Map<number, StrandedPartition>();
  private readonly group: FailoverLedger;
  private readonly strandedBits: SeqBits;
  private mirroredTwice = 0;

  constructor(
    private readonly up: UpstreamLoad,
    private readonly dr: { first: number; count: number },
    groupName: string,
    states: FailoverPartitionState[],
    /** Per partition of the DR topic, the end the group reached there. */
    private readonly drGroupEnd: Record<number, number>,
    /** Per partition of the DR topic, the first offset the group was handed: what lies before it, it skipped. */
    private readonly drGroupStart?: Record<number, number>,
  ) {
    const all = dr.first + dr.count - up.first;
    this.onPrimary = new SeqBits(up.first, up.count);
    this.mirrored = new SeqBits(up.first, up.count);
    this.strandedBits = new SeqBits(up.first, up.count);
    this.drFound = new SeqBits(dr.first, dr.count);
    this.drProcessed = new SeqBits(dr.first, dr.count);
    this.indexed = new SeqBits(up.first, all);
    this.group = new FailoverLedger(groupName, { first: up.first, count: up.count }, states);
  }

  acknowledged(seq: number): boolean {
    const p = seq % this.up.partitions;
    return seq >= this.up.first && seq < (this.up.ackedBelow[p] ?? this.up.first);
  }

  /** A record of the run in the mirrored topic downstream. Read the mirror before the primary. */
  mirror(partition: number, offset: number, seq: number): void {
    if (!this.mirrored.add(seq)) this.mirroredTwice++;
    this.group.downstream(partition, offset, seq);
  }

  /** A record of the run in the primary's surviving log (after the mirror has been read). */
  primary(partition: number, offset: number, seq: number, producedAt: number | undefined): void {
    this.onPrimary.add(seq);
    this.group.upstream(partition, offset, seq);
    if (!this.acknowledged(seq) || this.mirrored.has(seq) || !this.strandedBits.add(seq)) return;
    const p = this.strandedBy.get(partition) ?? { partition, count: 0 };
    p.count++;
    if (producedAt === undefined || !Number.isFinite(producedAt)) p.undated = (p.undated ?? 0) + 1;
    else if (p.oldestProducedAt === undefined || producedAt < p.oldestProducedAt) {
      p.oldestProducedAt = producedAt;
      p.firstOffset = offset;
    }
    this.strandedBy.set(partition, p);
  }

  /** A record written on the DR side after the disaster, in the DR topic. */
  drTopic(partition: number, offset: number, seq: number): void {
    this.drFound.add(seq);
    const start = this.drGroupStart ? this.drGroupStart[partition] : 0;
    if (start !== undefined && offset >= start && offset < (this.drGroupEnd[partition] ?? 0)) this.drProcessed.add(seq);
  }

  /** A document of the run in the index. */
  index(seq: number): void {
    this.indexed.add(seq);
  }

  /** The stranded records per partition: acknowledged, on the primary's disks, never mirrored. */
  stranded(): StrandedPartition[] {
    return [...this.strandedBy.values()].sort((a, b) => a.partition - b.partition);
  }

  result(bounds: FailoverBounds): DisasterAccounting {
    const stranded = this.stranded();
    const { first, count, partitions } = this.up;
    let acknowledged = 0;
    let mirroredAcked = 0;
    let lostAcknowledged = 0;
    let writtenUnacknowledged = 0;
    let unacknowledgedMirrored = 0;
    const lostExamples: number[] = [];
    for (let seq = first; seq < first + count; seq++) {
      const m = this.mirrored.has(seq);
      if (this.acknowledged(seq)) {
        acknowledged++;
        if (m) mirroredAcked++;
        else if (!this.onPrimary.has(seq)) {
          lostAcknowledged++;
          if (lostExamples.length < EXAMPLES) lostExamples.push(seq);
        }
      } else if (m || this.onPrimary.has(seq)) {
        writtenUnacknowledged++;
        if (m) unacknowledgedMirrored++;
      }
    }
    // the group must process whatever the DR side held of the upstream part: every mirrored record
    const g = this.group.result(bounds, (seq) => seq % partitions, this.mirrored);
    const drSkipped = this.drFound.count - this.drProcessed.count;
    const skippedExamples = [...g.examples.skipped, ...this.drFound.firstWith(true, EXAMPLES, (s) => !this.drProcessed.has(s))].slice(
      0,
      EXAMPLES,
    );
    const notIndexed: number[] = [];
    let indexMissing = 0;
    const held = (seq: number) => (seq < first + count ? this.mirrored.has(seq) : this.drFound.has(seq));
    for (let seq = first; seq < this.dr.first + this.dr.count; seq++) {
      if (!held(seq) || this.indexed.has(seq)) continue;
      indexMissing++;
      if (notIndexed.length < EXAMPLES) notIndexed.push(seq);
    }
    const expectedIndex = this.mirrored.count + this.drFound.count;
    return {
      upstream: {
        acknowledged,
        mirrored: mirroredAcked,
        stranded: stranded.reduce((n, p) => n + p.count, 0),
        lostAcknowledged,
        writtenUnacknowledged,
        unacknowledgedMirrored,
        mirroredTwice: this.mirroredTwice,
      },
      dr: { first: this.dr.first, written: this.dr.count, found: this.drFound.count, missing: this.dr.count - this.drFound.count },
      group: {
        group: g.group,
        expected: g.expected + this.drFound.count,
        processedUpstream: g.processedUpstream,
        processedDownstream: g.processedDownstream,
        processedDr: this.drProcessed.count,
        skipped: g.skipped + drSkipped,
        twice: g.twice,
        twiceAfterCheckpoint: g.twiceAfterCheckpoint,
        twiceByTranslation: g.twiceByTranslation,
        partitions: g.partitions,
      },
      index: { expected: expectedIndex, indexed: expectedIndex - indexMissing, missing: indexMissing },
      examples: {
        stranded: this.strandedBits.firstWith(true, EXAMPLES),
        lostAcknowledged: lostExamples,
        skipped: skippedExamples,
        notIndexed,
      },
    };
  }

  /** For failoverProblems: the group's part in FailoverLedger's terms. */
  groupAccounting(bounds: FailoverBounds): FailoverAccounting {
    return this.group.result(bounds, (seq) => seq % this.up.partitions, this.mirrored);
  }
}

/** What went wrong in a disaster drill, one line each, naming the culprit. */
export function disasterProblems(a: DisasterAccounting, group: FailoverAccounting, mirroredTopic: string, drTopic: string): string[] {
  const out: string[] = [];
  if (a.upstream.lostAcknowledged > 0)
    out.push(
      `the primary lost ${a.upstream.lostAcknowledged} acknowledged record(s): neither mirrored nor on its disks after the disaster (first: ${a.examples.lostAcknowledged.join(', ')})`,
    );
  if (a.dr.missing > 0)
    out.push(`the DR cluster lost ${a.dr.missing} of the ${a.dr.written} record(s) the producer wrote to ${drTopic} after the failover`);
  if (a.upstream.acknowledged === 0)
    out.push('the producer had no record acknowledged upstream before the disaster: nothing was under load when the primary died');
  if (a.dr.written === 0) out.push('no record was written on the DR side: the producers never failed over');
  out.push(
    ...failoverProblems(group, mirroredTopic, { liveSyncStore: true }).filter((l) => !/no checkpoint/.test(l) || a.upstream.mirrored > 0),
  );
  const drSkipped = a.group.skipped - group.skipped;
  if (drSkipped > 0) out.push(`${drTopic}: the group skipped ${drSkipped} record(s) written on the DR side`);
  if (a.index.missing > 0)
    out.push(
      `consumer-2 indexed ${a.index.indexed} of the ${a.index.expected} record(s) the DR side holds: ${a.index.missing} missing (first: ${a.examples.notIndexed.join(', ')})`,
    );
  return out;
}

/** The DR site's registry after the disaster: ids it resolves differently from the primary, records it cannot decode. */
export function registryProblems(r: { ids: number[]; mismatched: number[]; undecodable: number }): string[] {
  return [
    ...(r.mismatched.length
      ? [
          `the DR site's registry does not resolve schema id(s) ${r.mismatched.join(', ')} as the primary's did: records carrying them decode wrongly there`,
        ]
      : []),
    ...(r.undecodable ? [`${r.undecodable} record(s) on the DR side do not decode through the DR site's registry`] : []),
  ];
}
