import type { StrandedAction, UpstreamLoad } from './disaster';
import { SeqBits } from './seq-bits';

/**
 * The failback (issue 19), its pure part: after a disaster drill's outage the primary returns, a
 * reverse mirror brings back what the DR side took, the consumer group and the producers move back,
 * and the forward mirror resumes past what the primary held at its return. Every record of the run
 * is then accounted for on both sides. Workflow-safe.
 */

/** One partition of the primary's topic: the records it acknowledged and never mirrored. */
export interface StrandedList {
  partition: number;
  count: number;
  firstOffset: number;
  lastOffset: number;
}

/** The group on the primary after failback, per partition of one topic. */
export interface ReturnState {
  partition: number;
  /** Where the group resumed (committed for it before it joined). */
  resumedAt: number;
  /** The end it reached. */
  end: number;
}

/** The group on the reverse-mirrored topic: also the checkpoint it resumed from, and the syncs it was judged by. */
export interface ReverseState extends ReturnState {
  /** The group's committed offset on the DR topic and its translation into the reverse-mirrored topic. */
  checkpoint?: { upstreamOffset: number; downstreamOffset: number };
  /**
   * The reverse offset syncs behind the checkpoint (absent when none was read): the nearest at or below
   * its upstream offset, the best translation that allows, and the sync the translation went through
   * (absent when no sync explains it). The checkpoint task's store trails the syncs topic, so it may
   * go through an older sync than the nearest.
   */
  syncs?: { nearest: number; bestDownstream: number; used?: number };
}

export interface FailbackAccounting {
  stranded: {
    action: StrandedAction;
    records: number;
    partitions: StrandedList[];
    /** Written again on the DR side (republish): each must be there once. */
    republished: number;
    republishedTwice: number;
    /** Stranded records that reached the DR side's mirror after the failback (report must leave them on the primary). */
    leaked: number;
  };
  reverse: {
    /** The run's records on the DR topic (written there during the outage, and republished): each must come back. */
    expected: number;
    movedBack: number;
    missing: number;
    copiedTwice: number;
  };
  forward: {
    /** Written to the primary after failback. */
    written: number;
    onPrimary: number;
    /** Carried to the DR side by the resumed forward mirror. */
    mirrored: number;
    missing: number;
  };
  group: {
    /** Records the group had to process on the primary: moved back and not yet processed on the DR side, and the failback's own. */
    expected: number;
    processed: number;
    skipped: number;
    /** Moved back and processed a second time on the primary: the reverse translation gave back that much. */
    twiceByReverseTranslation: number;
    partitions: {
      partition: number;
      checkpoint?: { upstreamOffset: number; downstreamOffset: number };
      syncs?: { nearest: number; bestDownstream: number; used?: number };
      resumedAt: number;
      skipped: number;
      twice: number;
      /** At most this many may be given back: from the reverse sync the translation went through to the group's committed offset. */
      twiceBound?: number;
    }[];
  };
  index: { expected: number; indexed: number; missing: number };
  examples: { missingBack: number[]; missingForward: number[]; skipped: number[]; leaked: number[]; notIndexed: number[] };
}

const EXAMPLES = 10;

/**
 * The failback's ledger, fed a record at a time: the primary's topic up to its end at the return
 * (for the stranded), the DR topic, the reverse-mirrored topic on the primary, the primary's topic
 * after the return, the forward mirror after it resumed, and the index.
 */
export class FailbackLedger {
  private readonly stranded: SeqBits;
  private readonly strandedBy = new Map<number, StrandedList>();
  private readonly mirroredBefore: SeqBits;
  private readonly onDr: SeqBits;
  private readonly processedOnDr: SeqBits;
  private readonly republished: SeqBits;
  private readonly back: SeqBits;
  private readonly processedBack: SeqBits;
  private readonly written: SeqBits;
  private readonly forwarded: SeqBits;
  private readonly processedFb: SeqBits;
  private readonly indexed: SeqBits;
  private readonly leaked: SeqBits;
  private republishedTwice = 0;
  private copiedTwice = 0;
  private readonly perPartition = new Map<number, { skipped: number; twice: number }>();
  private readonly skippedExamples: number[] = [];

  constructor(
    private readonly up: UpstreamLoad,
    /** The records written to the primary after failback (the DR side's writes lie between the upstream load and these). */
    private readonly fb: { first: number; count: number },
    private readonly action: StrandedAction,
    /** The group on the DR topic: per partition, the offsets it was handed there [start, end). */
    private readonly drGroup: { start: Record<number, number>; end: Record<number, number> },
    private readonly reverseStates: ReverseState[],
    private readonly primaryStates: ReturnState[],
  ) {
    const all = fb.first + fb.count - up.first;
    this.stranded = new SeqBits(up.first, up.count);
    this.mirroredBefore = new SeqBits(up.first, up.count);
    this.leaked = new SeqBits(up.first, up.count);
    this.onDr = new SeqBits(up.first, all);
    this.processedOnDr = new SeqBits(up.first, all);
    this.republished = new SeqBits(up.first, up.count);
    this.back = new SeqBits(up.first, all);
    this.processedBack = new SeqBits(up.first, all);
    this.written = new SeqBits(fb.first, fb.count);
    this.forwarded = new SeqBits(fb.first, fb.count);
    this.processedFb = new SeqBits(fb.first, fb.count);
    this.indexed = new SeqBits(up.first, all);
  }

  private acknowledged(seq: number): boolean {
    const p = seq % this.up.partitions;
    return seq >= this.up.first && seq < this.up.first + this.up.count && seq < (this.up.ackedBelow[p] ?? this.up.first);
  }

  /** The forward mirror's copy, up to where it stopped before the primary returned. Read before the primary. */
  mirroredBeforeStop(seq: number): void {
    if (seq >= this.up.first && seq < this.up.first + this.up.count) this.mirroredBefore.add(seq);
  }

  /** The primary's topic, from the run's start to its end at the return; true when the record is stranded (and new here). */
  primaryBeforeReturn(partition: number, offset: number, seq: number): boolean {
    if (!this.acknowledged(seq) || this.mirroredBefore.has(seq) || !this.stranded.add(seq)) return false;
    const p = this.strandedBy.get(partition) ?? { partition, count: 0, firstOffset: offset, lastOffset: offset };
    p.count++;
    p.firstOffset = Math.min(p.firstOffset, offset);
    p.lastOffset = Math.max(p.lastOffset, offset);
    this.strandedBy.set(partition, p);
    return true;
  }

  /** The DR topic from the run's start there: the outage's writes, and republished records. */
  drTopic(partition: number, offset: number, seq: number, republished: boolean): void {
    if (republished && !this.republished.add(seq)) this.republishedTwice++;
    // the DR side's own records and the republished ones (sharing the mirror's topic, the mirror's copies are not its own)
    if (!this.inRun(seq) || (seq < this.up.first + this.up.count && !republished)) return;
    this.onDr.add(seq);
    const start = this.drGroup.start[partition] ?? 0;
    if (offset >= start && offset < (this.drGroup.end[partition] ?? 0)) this.processedOnDr.add(seq);
  }

  /** The reverse-mirrored topic on the primary, from where it began this run. Read after the DR topic. */
  reverse(partition: number, offset: number, seq: number): void {
    if (!this.inRun(seq)) return;
    if (!this.back.add(seq)) this.copiedTwice++;
    const s = this.reverseStates.find((x) => x.partition === partition);
    const processedHere = !!s && offset >= s.resumedAt && offset < s.end;
    if (processedHere) {
      if (this.processedOnDr.has(seq)) this.partition(partition).twice++;
      this.processedBack.add(seq);
    }
  }

  /** The primary's topic after the return: the failback's writes. */
  primaryAfterReturn(partition: number, offset: number, seq: number): void {
    if (seq < this.fb.first || seq >= this.fb.first + this.fb.count) return;
    this.written.add(seq);
    const s = this.primaryStates.find((x) => x.partition === partition);
    if (s && offset >= s.resumedAt && offset < s.end) this.processedFb.add(seq);
    else {
      this.partition(partition).skipped++;
      if (this.skippedExamples.length < EXAMPLES) this.skippedExamples.push(seq);
    }
  }

  /** The DR side's mirrored topic after the forward mirror resumed. */
  mirroredAfterResume(seq: number): void {
    if (seq >= this.fb.first && seq < this.fb.first + this.fb.count) this.forwarded.add(seq);
    else if (seq >= this.up.first && seq < this.up.first + this.up.count && !this.mirroredBefore.has(seq)) this.leaked.add(seq);
  }

  index(seq: number): void {
    if (seq >= this.up.first && seq < this.fb.first + this.fb.count) this.indexed.add(seq);
  }

  private inRun = (seq: number) => seq >= this.up.first && seq < this.fb.first;

  private partition(p: number) {
    const x = this.perPartition.get(p) ?? { skipped: 0, twice: 0 };
    this.perPartition.set(p, x);
    return x;
  }

  strandedList(): StrandedList[] {
    return [...this.strandedBy.values()].sort((a, b) => a.partition - b.partition);
  }

  result(): FailbackAccounting {
    const strandedList = this.strandedList();
    // moved back: every record of the run the DR topic holds must be on the primary again
    const missingBack = this.onDr.firstWith(true, EXAMPLES, (s) => !this.back.has(s));
    const missingBackCount = this.onDr.countWith(true, (s) => !this.back.has(s));
    // the group: what it had to process on the primary is what came back unprocessed on the DR side, and the failback's writes
    let skippedBack = 0;
    for (let seq = this.up.first; seq < this.fb.first; seq++) {
      if (!this.back.has(seq) || this.processedOnDr.has(seq) || this.processedBack.has(seq)) continue;
      skippedBack++;
      if (this.skippedExamples.length < EXAMPLES) this.skippedExamples.push(seq);
    }
    const expectedBack = this.back.countWith(true, (s) => !this.processedOnDr.has(s));
    const skippedFb = this.written.count - this.processedFb.count;
    const twice = [...this.perPartition.values()].reduce((n, p) => n + p.twice, 0);
    const partitions = [...new Set([...this.reverseStates.map((s) => s.partition), ...this.perPartition.keys()])]
      .sort((a, b) => a - b)
      .map((partition) => {
        const s = this.reverseStates.find((x) => x.partition === partition);
        const x = this.perPartition.get(partition) ?? { skipped: 0, twice: 0 };
        return {
          partition,
          ...(s?.checkpoint ? { checkpoint: s.checkpoint } : {}),
          ...(s?.syncs ? { syncs: s.syncs } : {}),
          resumedAt: s?.resumedAt ?? 0,
          skipped: x.skipped,
          twice: x.twice,
          ...(s?.checkpoint && s.syncs?.used !== undefined ? { twiceBound: Math.max(0, s.checkpoint.upstreamOffset - s.syncs.used) } : {}),
        };
      });
    // the index: what the DR side received after the failback (the resumed mirror's and the republished records)
    const onDrAfter = (seq: number) => (seq >= this.fb.first ? this.forwarded.has(seq) : this.republished.has(seq));
    let indexExpected = 0;
    let indexMissing = 0;
    const notIndexed: number[] = [];
    for (let seq = this.up.first; seq < this.fb.first + this.fb.count; seq++) {
      if (!onDrAfter(seq)) continue;
      indexExpected++;
      if (this.indexed.has(seq)) continue;
      indexMissing++;
      if (notIndexed.length < EXAMPLES) notIndexed.push(seq);
    }
    return {
      stranded: {
        action: this.action,
        records: this.stranded.count,
        partitions: strandedList,
        republished: this.republished.count,
        republishedTwice: this.republishedTwice,
        leaked: this.leaked.countWith(true, (s) => this.stranded.has(s)),
      },
      reverse: {
        expected: this.onDr.count,
        movedBack: this.onDr.count - missingBackCount,
        missing: missingBackCount,
        copiedTwice: this.copiedTwice,
      },
      forward: {
        written: this.fb.count,
        onPrimary: this.written.count,
        mirrored: this.forwarded.count,
        missing: this.fb.count - this.forwarded.count,
      },
      group: {
        expected: expectedBack + this.written.count,
        processed: this.processedFb.count + this.processedBack.countWith(true, (s) => !this.processedOnDr.has(s)),
        skipped: skippedBack + skippedFb,
        twiceByReverseTranslation: twice,
        partitions,
      },
      index: { expected: indexExpected, indexed: indexExpected - indexMissing, missing: indexMissing },
      examples: {
        missingBack,
        missingForward: this.written.firstWith(true, EXAMPLES, (s) => !this.forwarded.has(s)),
        skipped: this.skippedExamples.slice(0, EXAMPLES),
        leaked: this.leaked.firstWith(true, EXAMPLES, (s) => this.stranded.has(s)),
        notIndexed,
      },
    };
  }
}

/** What went wrong in a failback, one line each, naming the culprit. */
export function failbackProblems(a: FailbackAccounting, reverseTopic: string, mirroredTopic: string): string[] {
  const out: string[] = [];
  if (a.reverse.missing > 0)
    out.push(
      `the reverse mirror brought back ${a.reverse.movedBack} of the ${a.reverse.expected} record(s) the DR side took: ${a.reverse.missing} missing from ${reverseTopic} (first: ${a.examples.missingBack.join(', ')})`,
    );
  if (a.reverse.expected === 0) out.push('the DR side held no record of the run to bring back: the outage had no traffic');
  if (a.forward.onPrimary < a.forward.written)
    out.push(`the primary holds ${a.forward.onPrimary} of the ${a.forward.written} record(s) the producers wrote to it after failback`);
  if (a.forward.missing > 0)
    out.push(
      `the resumed forward mirror carried ${a.forward.mirrored} of the ${a.forward.written} record(s) written after failback to ${mirroredTopic}: ${a.forward.missing} missing (first: ${a.examples.missingForward.join(', ')})`,
    );
  const s = a.stranded;
  if (s.action === 'report' && s.leaked > 0)
    out.push(
      `the forward mirror carried ${s.leaked} stranded record(s) to ${mirroredTopic} after failback, though --stranded report leaves them on the primary (first: ${a.examples.leaked.join(', ')})`,
    );
  if (s.action === 'republish' && s.republished < s.records)
    out.push(`${s.records - s.republished} of the ${s.records} stranded record(s) were not republished on the DR side`);
  if (s.republishedTwice > 0)
    out.push(`${s.republishedTwice} stranded record(s) were republished more than once: consumers see them twice`);
  if (a.group.skipped > 0)
    out.push(`the group skipped ${a.group.skipped} record(s) after failback (first: ${a.examples.skipped.join(', ')})`);
  for (const p of a.group.partitions) {
    const where = `${reverseTopic}[${p.partition}]`;
    if (!p.checkpoint) continue;
    const c = `upstream offset ${p.checkpoint.upstreamOffset} to ${p.checkpoint.downstreamOffset}`;
    if (!p.syncs) out.push(`${where}: no reverse offset sync at or below the checkpoint was read, so its translation cannot be judged`);
    else if (p.checkpoint.downstreamOffset > p.syncs.bestDownstream)
      out.push(
        `${where}: MirrorMaker 2 translated ${c}, past the ${p.syncs.bestDownstream} its nearest reverse offset sync (${p.syncs.nearest}) allows`,
      );
    else if (p.syncs.used === undefined)
      out.push(`${where}: MirrorMaker 2 translated ${c}, which no reverse offset sync it wrote explains`);
    if (p.twiceBound !== undefined && p.twice > p.twiceBound)
      out.push(
        `${where}: the group processed ${p.twice} record(s) twice after failback, more than the ${p.twiceBound} between the reverse offset sync its translation went through and its committed offset`,
      );
  }
  if (a.index.missing > 0)
    out.push(
      `consumer-2 indexed ${a.index.indexed} of the ${a.index.expected} record(s) the DR side received after failback: ${a.index.missing} missing (first: ${a.examples.notIndexed.join(', ')})`,
    );
  return out;
}

/** How long coming back took. Each mark absent when the drill did not see it. */
export interface FailbackFigures {
  /** From the primary back (its site healthy) to producers and consumers serving from it: the slower of the two. */
  seconds?: number;
  producersSeconds?: number;
  consumersSeconds?: number;
  /** From the start of the failback (the forward mirror stopped) to serving again. */
  totalSeconds?: number;
  /** The reverse mirror, from registered to caught up. */
  reverseCatchUpSeconds: number;
  unknown: string[];
}

export function failbackFigures(m: {
  startedAt: number;
  backAt: number;
  firstAckPrimary?: number;
  firstProcessedPrimary?: number;
  reverse: { registeredAt: number; caughtUpAt: number };
}): FailbackFigures {
  const unknown: string[] = [];
  const since = (at: number | undefined, what: string) => {
    if (at === undefined) unknown.push(what);
    else if (at < m.backAt) unknown.push(`${what}: it came before the primary was back`);
    else return round1((at - m.backAt) / 1000);
    return undefined;
  };
  const producersSeconds = since(m.firstAckPrimary, 'no record was acknowledged on the returned primary');
  const consumersSeconds = since(m.firstProcessedPrimary, 'the group processed no record on the returned primary');
  const served = unknown.length === 0 ? Math.max(m.firstAckPrimary!, m.firstProcessedPrimary!) : undefined;
  return {
    ...(served !== undefined
      ? { seconds: Math.max(producersSeconds!, consumersSeconds!), totalSeconds: round1((served - m.startedAt) / 1000) }
      : {}),
    ...(producersSeconds !== undefined ? { producersSeconds } : {}),
    ...(consumersSeconds !== undefined ? { consumersSeconds } : {}),
    reverseCatchUpSeconds: round1((m.reverse.caughtUpAt - m.reverse.registeredAt) / 1000),
    unknown,
  };
}

/** --max-failback-seconds, judged on this run's figure: an unknown figure fails it. */
export function failbackGateProblems(f: FailbackFigures, maxSeconds: number | undefined): string[] {
  if (maxSeconds === undefined) return [];
  if (f.seconds === undefined) return [`failback duration unknown (${f.unknown.join('; ')}), and --max-failback-seconds needs it`];
  return f.seconds > maxSeconds ? [`failback took ${f.seconds} s, over --max-failback-seconds ${maxSeconds}`] : [];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
