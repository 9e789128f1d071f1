import type { SeqRange } from './seq-range';
import { SeqBits } from './seq-bits';

/**
 * The failover drill's accounting: a consumer group processed part of the run upstream and
 * committed as it went, upstream went down, and the group resumed downstream on the mirrored topic
 * from the offsets MirrorMaker 2 translated. Every message of the run must have been processed at
 * least once (none skipped); the ones processed twice are counted, split by cause, and held to the
 * bound the MirrorMaker 2 settings allow. Pure and workflow-safe.
 */

/** Where one partition stood: all offsets are the next record to process (Kafka's committed-offset sense). */
export interface FailoverPartitionState {
  partition: number;
  /** The group's committed offset upstream when upstream went down. */
  committed: number;
  /** The newest checkpoint of the group for this partition, if MirrorMaker 2 emitted one. */
  checkpoint?: { upstreamOffset: number; downstreamOffset: number; at: number; ageSeconds: number };
  /**
   * The offset syncs written before the checkpoint (upstream offsets): the nearest one at or below
   * the group (the best translation, `bestDownstream`, which a checkpoint must never pass), the
   * newest one, and the one the checkpoint went through (absent when none matches its offset).
   */
  syncs?: { nearest: number; bestDownstream: number; newest: number; used?: number };
  /** Where the group resumed downstream (the checkpoint's offset, or the end when there was none). */
  resumedAt: number;
  /** The end of the mirrored partition when the group caught up downstream. */
  end: number;
  /** The first offset the moved group was handed downstream (absent when it had nothing to read). */
  startedAt?: number;
}

export interface FailoverBounds {
  checkpointIntervalSeconds: number;
  offsetLagMax: number;
  /** How old the last checkpoint may be when upstream goes down: the interval and a little slack. */
  maxCheckpointAgeSeconds: number;
}

export interface FailoverPartitionResult extends FailoverPartitionState {
  skipped: number;
  /** Processed twice because the group committed them after the last checkpoint. */
  twiceAfterCheckpoint: number;
  /** Processed twice although committed before the checkpoint: the offset sync it translated through was older. */
  twiceByTranslation: number;
}

export interface FailoverAccounting {
  group: string;
  expected: number;
  processedUpstream: number;
  processedDownstream: number;
  /** Messages of the run the group never processed: upstream they were not committed, downstream it resumed past them. */
  skipped: number;
  twice: number;
  twiceAfterCheckpoint: number;
  twiceByTranslation: number;
  examples: { skipped: number[]; twice: number[] };
  partitions: FailoverPartitionResult[];
  bounds: FailoverBounds;
}

/**
 * When upstream goes down, counted from the start of the group's work: after the checkpoint
 * connector has found the group (every refresh.groups.interval.seconds) and checkpointed it at
 * least once. The group holds half-way through the run until then, leaving the rest for downstream.
 */
export const FAILOVER_OUTAGE_AFTER_SECONDS = 30;
/** A checkpoint may be this much older than its interval (the connector's own poll and write). */
const CHECKPOINT_AGE_SLACK_SECONDS = 5;

export function failoverBounds(t: { checkpointIntervalSeconds: number; offsetLagMax: number }): FailoverBounds {
  return { ...t, maxCheckpointAgeSeconds: t.checkpointIntervalSeconds + CHECKPOINT_AGE_SLACK_SECONDS };
}

const EXAMPLES = 10;

export class FailoverLedger {
  private readonly up: SeqBits;
  private readonly upAfterCheckpoint: SeqBits;
  private readonly down: SeqBits;
  private readonly byPartition: Map<number, FailoverPartitionState>;

  constructor(
    readonly group: string,
    readonly range: SeqRange,
    readonly partitions: FailoverPartitionState[],
  ) {
    this.up = new SeqBits(range.first, range.count);
    this.upAfterCheckpoint = new SeqBits(range.first, range.count);
    this.down = new SeqBits(range.first, range.count);
    this.byPartition = new Map(partitions.map((p) => [p.partition, p]));
  }

  /** A record of the run read upstream: processed there when below the group's committed offset. */
  upstream(partition: number, offset: number, seq: number): void {
    const p = this.byPartition.get(partition);
    if (!p || offset >= p.committed) return;
    this.up.add(seq);
    if (p.checkpoint && offset >= p.checkpoint.upstreamOffset) this.upAfterCheckpoint.add(seq);
  }

  /** A record of the run read downstream: processed there when between where the group resumed and the end it reached. */
  downstream(partition: number, offset: number, seq: number): void {
    const p = this.byPartition.get(partition);
    if (!p || offset < p.resumedAt || offset >= p.end) return;
    // a copy MirrorMaker 2 wrote twice is the mirror's duplicate, not the group's
    this.down.add(seq);
  }

  /** `expected`, when given, holds the records the group had to process (the rest of the range never reached it). */
  result(bounds: FailoverBounds, partitionOf: (seq: number) => number, expected?: SeqBits): FailoverAccounting {
    const { first, count } = this.range;
    const skippedSeqs: number[] = [];
    const skippedBy = new Map<number, number>();
    const twiceSeqs: number[] = [];
    const causes = new Map<number, { twiceAfterCheckpoint: number; twiceByTranslation: number }>();
    let skipped = 0;
    let twice = 0;
    for (let seq = first; seq < first + count; seq++) {
      const up = this.up.has(seq);
      const down = this.down.has(seq);
      if (!up && !down && expected && !expected.has(seq)) continue;
      if (!up && !down) {
        skipped++;
        skippedBy.set(partitionOf(seq), (skippedBy.get(partitionOf(seq)) ?? 0) + 1);
        if (skippedSeqs.length < EXAMPLES) skippedSeqs.push(seq);
      } else if (up && down) {
        twice++;
        if (twiceSeqs.length < EXAMPLES) twiceSeqs.push(seq);
        // its cause, whichever side was read first: committed after the last checkpoint, or given back by translation
        const counts = causes.get(partitionOf(seq)) ?? { twiceAfterCheckpoint: 0, twiceByTranslation: 0 };
        if (this.upAfterCheckpoint.has(seq)) counts.twiceAfterCheckpoint++;
        else counts.twiceByTranslation++;
        causes.set(partitionOf(seq), counts);
      }
    }
    const partitions = this.partitions.map((p) => ({
      ...p,
      skipped: skippedBy.get(p.partition) ?? 0,
      ...(causes.get(p.partition) ?? { twiceAfterCheckpoint: 0, twiceByTranslation: 0 }),
    }));
    return {
      group: this.group,
      expected: expected ? expected.count : count,
      processedUpstream: this.up.count,
      processedDownstream: this.down.count,
      skipped,
      twice,
      twiceAfterCheckpoint: partitions.reduce((n, p) => n + p.twiceAfterCheckpoint, 0),
      twiceByTranslation: partitions.reduce((n, p) => n + p.twiceByTranslation, 0),
      examples: { skipped: skippedSeqs, twice: twiceSeqs },
      partitions,
      bounds,
    };
  }
}

/**
 * What went wrong, one line per partition and cause, in the words of offset translation: the
 * failure MirrorMaker 2's users report most, named exactly so it can be acted on.
 */
/**
 * How many records committed before the checkpoint translation gives back: those between the sync
 * it went through and the group's offset. Without the syncs, offset.lag.max is the bound.
 */
export function translationAllows(p: FailoverPartitionState, b: FailoverBounds): number | undefined {
  if (!p.checkpoint) return undefined;
  const used = p.syncs?.used;
  if (used === undefined) return b.offsetLagMax + 1;
  return Math.max(0, p.checkpoint.upstreamOffset - used - (p.checkpoint.upstreamOffset === used ? 0 : 1));
}

/** Records given back because the store had dropped the syncs nearer the group than the one it used. */
export const sparseSyncs = (p: FailoverPartitionState) => (p.syncs?.used !== undefined ? Math.max(0, p.syncs.nearest - p.syncs.used) : 0);

export function failoverProblems(
  a: FailoverAccounting,
  mirroredTopic: string,
  /**
   * The group's checkpoints were emitted under live traffic (a disaster): the checkpoint task's sync
   * store then trails the syncs topic, so a sync written before a checkpoint may not have been read
   * by it. Translation through an older sync is then no fault of MirrorMaker 2's; what it gives back
   * is still bounded by the sync it went through.
   */
  opts: { liveSyncStore?: boolean } = {},
): string[] {
  const out: string[] = [];
  for (const p of a.partitions) {
    const where = `${mirroredTopic}[${p.partition}]`;
    if (!p.checkpoint) {
      out.push(
        `${where}: no checkpoint of group ${a.group}, so it resumed at the end (offset ${p.resumedAt}) ` +
          `(fix: check that mm2-checkpoint-src runs and that its groups pattern matches ${a.group}; ` +
          `groups are found every refresh.groups.interval.seconds, checkpoints emitted every ${a.bounds.checkpointIntervalSeconds} s)`,
      );
    } else if (p.checkpoint.upstreamOffset > p.committed) {
      out.push(
        `${where}: the checkpoint says the group was at upstream offset ${p.checkpoint.upstreamOffset}, ` +
          `but it had committed only ${p.committed}: resuming from it skips what the group never processed`,
      );
    }
    if (p.checkpoint && p.syncs && p.checkpoint.downstreamOffset > p.syncs.bestDownstream) {
      out.push(
        `${where}: MirrorMaker 2 translated upstream offset ${p.checkpoint.upstreamOffset} to ${p.checkpoint.downstreamOffset}, ` +
          `past the ${p.syncs.bestDownstream} its nearest offset sync (${p.syncs.nearest}) allows: a group resuming there skips records`,
      );
    }
    // MirrorMaker 2 promises offset.lag.max only for a group at or past its newest sync.
    if (
      !opts.liveSyncStore &&
      p.checkpoint &&
      p.syncs?.used !== undefined &&
      p.checkpoint.upstreamOffset >= p.syncs.newest &&
      sparseSyncs(p) > 0
    ) {
      out.push(
        `${where}: the group was at or past the newest offset sync (${p.syncs.newest}), yet MirrorMaker 2 translated it through the older sync at ${p.syncs.used}: ` +
          `${sparseSyncs(p)} more record(s) given back than offset.lag.max (${a.bounds.offsetLagMax}) allows`,
      );
    }
    if (p.startedAt !== undefined && p.startedAt !== p.resumedAt) {
      out.push(`${where}: the group was handed offset ${p.startedAt} first, not the ${p.resumedAt} committed for it downstream`);
    }
    if (p.skipped > 0) {
      out.push(
        `${where}: ${p.skipped} message(s) the group had not processed upstream were skipped: it resumed at offset ${p.resumedAt}, past them`,
      );
    }
    // (a stale checkpoint that gave nothing back harmed nobody: in a disaster, what the group committed past it may never have been mirrored)
    if (
      p.checkpoint &&
      p.checkpoint.upstreamOffset < p.committed &&
      p.checkpoint.ageSeconds > a.bounds.maxCheckpointAgeSeconds &&
      p.twiceAfterCheckpoint > 0
    ) {
      out.push(
        `${where}: the last checkpoint was ${p.checkpoint.ageSeconds.toFixed(1)} s old when upstream went down ` +
          `(emitted every ${a.bounds.checkpointIntervalSeconds} s, at most ${a.bounds.maxCheckpointAgeSeconds} s expected): ` +
          `${p.twiceAfterCheckpoint} message(s) committed after it were processed twice`,
      );
    }
    const allowed = translationAllows(p, a.bounds);
    if (allowed !== undefined && p.twiceByTranslation > allowed) {
      out.push(
        `${where}: ${p.twiceByTranslation} message(s) the group had committed before the checkpoint were processed again, ` +
          (p.syncs?.used !== undefined
            ? `more than the ${allowed} between the offset sync it was translated through (${p.syncs.used}) and the group's offset ${p.checkpoint!.upstreamOffset}`
            : `more than offset.lag.max (${a.bounds.offsetLagMax}) allows`),
      );
    }
  }
  if (a.skipped > 0 && out.every((l) => !l.includes('skipped'))) {
    out.push(`${a.skipped} message(s) of the run were never processed (first: ${a.examples.skipped.join(', ')})`);
  }
  return out;
}
