/**
 * How the mirror caught up after the last fault: the records produced before it was undone that
 * arrived downstream only after (the backlog), how long after the undo the last of them arrived,
 * and the rate the mirror drained them at. Pure and workflow-safe; its state is two numbers, so a
 * retried verifier takes it over from its heartbeat.
 */
export interface CatchUpState {
  backlog: number;
  lastArrival: number;
  /**
   * Per partition: its backlog, when its first and last backlog record arrived, and how many
   * arrived with the first (states saved before these were kept lack them).
   */
  partitions?: Record<number, { n: number; first: number; last: number; firstN?: number; firstEnd?: number; withLast?: number }>;
}

/** Records that arrive within this of a partition's first are its first delivery (one fetch moved at once). */
const FIRST_DELIVERY_MS = 250;

export interface CatchUpFigures {
  /** Records produced before the last fault was undone and mirrored after it. */
  backlog: number;
  /** From the undo until the last of them arrived downstream. */
  seconds: number;
  /** backlog / seconds: what the mirror sustained while catching up (new records flowed too). */
  perSecond: number;
  /**
   * The rate the mirror moved the backlog once it moved again: per partition, the records it moved
   * after its first delivery up to the backlog's last (newer ones in that same delivery included),
   * over the time from the end of that delivery to the backlog's last record's arrival (so a
   * restarted Connect worker's start-up, or one task resuming later than another, is left out),
   * summed: its capacity.
   */
  drainPerSecond?: number;
}

export class CatchUp {
  private state: CatchUpState;
  constructor(
    readonly faultEnd: number,
    saved?: CatchUpState,
  ) {
    this.state = saved ? structuredClone(saved) : { backlog: 0, lastArrival: faultEnd };
  }

  add(partition: number, producedAt: number, arrivedAt: number): void {
    if (producedAt > this.faultEnd) {
      // a newer record moved in the same delivery as the backlog's last took part of its time
      // (records are read in offset order: the backlog's come first)
      const p = this.state.partitions?.[partition];
      if (p && arrivedAt <= p.last) p.withLast = (p.withLast ?? 0) + 1;
      return;
    }
    if (arrivedAt <= this.faultEnd) return;
    this.state.backlog++;
    this.state.lastArrival = Math.max(this.state.lastArrival, arrivedAt);
    const parts = (this.state.partitions ??= {});
    const p = (parts[partition] ??= { n: 0, first: arrivedAt, last: arrivedAt, firstN: 0 });
    p.n++;
    if (arrivedAt <= p.first + FIRST_DELIVERY_MS) {
      p.firstN = (p.firstN ?? 0) + 1;
      p.firstEnd = Math.max(p.firstEnd ?? arrivedAt, arrivedAt);
    }
    p.first = Math.min(p.first, arrivedAt);
    p.last = Math.max(p.last, arrivedAt);
  }

  toJSON(): CatchUpState {
    return structuredClone(this.state);
  }

  figures(): CatchUpFigures {
    const seconds = Math.max(0, this.state.lastArrival - this.faultEnd) / 1000;
    // a partition whose backlog arrived at once (one fetch) is no limit: it drained faster than can be told
    // and a partition whose backlog came mostly with it (a straggler after) cannot be timed either
    const timed = Object.values(this.state.partitions ?? {}).filter(
      (p) => p.last > (p.firstEnd ?? p.first) && p.n - (p.firstN ?? 0) >= p.n / 10,
    );
    // what arrived first was fetched before the clock started: on a thin link a fetch is a large
    // burst (a megabyte a partition), and counting it made a mirror slower than its load look fast
    const drain = timed.reduce(
      (sum, p) => sum + (p.n + (p.withLast ?? 0) - (p.firstN ?? 0)) / ((p.last - (p.firstEnd ?? p.first)) / 1000),
      0,
    );
    return {
      backlog: this.state.backlog,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: seconds > 0 ? Math.round(this.state.backlog / seconds) : 0,
      ...(timed.length > 0 ? { drainPerSecond: Math.round(drain) } : {}),
    };
  }
}

/**
 * The latency gate of a fault drill, from the drill's own records: a record held back by a fault of
 * D seconds waits about D whatever the mirror, so the question is whether the mirror then drains
 * the backlog faster than the load adds to it. MirrorMaker 2 reads each partition in order, so
 * while it catches up it moves backlog records as fast as it can: that rate (drainPerSecond) is its
 * capacity. Below
 * the load's rate, it never catches up. A backlog under one second of load is too small to judge.
 */
export function keepsUpProblem(c: CatchUpFigures, loadRate: number): string | undefined {
  if (c.backlog < loadRate || c.drainPerSecond === undefined || c.drainPerSecond >= loadRate) return undefined;
  return `the mirror drained the faults' backlog of ${c.backlog} records at ${c.drainPerSecond} msg/s, below the load's ${loadRate} msg/s: it cannot keep up`;
}
