/**
 * How the mirror caught up after the last fault: the records produced before it was undone that
 * arrived downstream only after (the backlog), how long after the undo the last of them arrived,
 * and the rate the mirror drained them at. Pure and workflow-safe; its state is two numbers, so a
 * retried verifier takes it over from its heartbeat.
 */
export interface CatchUpState {
  backlog: number;
  lastArrival: number;
  /** Per partition: its backlog, and when its first and last backlog record arrived (states saved before it was kept lack it). */
  partitions?: Record<number, { n: number; first: number; last: number }>;
}

export interface CatchUpFigures {
  /** Records produced before the last fault was undone and mirrored after it. */
  backlog: number;
  /** From the undo until the last of them arrived downstream. */
  seconds: number;
  /** backlog / seconds: what the mirror sustained while catching up (new records flowed too). */
  perSecond: number;
  /**
   * The rate the mirror moved the backlog once it moved again: per partition, its backlog over the
   * time from its first backlog record's arrival to its last (so a restarted Connect worker's
   * start-up, or one task resuming later than another, is left out), summed: its capacity.
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
    if (producedAt > this.faultEnd || arrivedAt <= this.faultEnd) return;
    this.state.backlog++;
    this.state.lastArrival = Math.max(this.state.lastArrival, arrivedAt);
    const parts = (this.state.partitions ??= {});
    const p = (parts[partition] ??= { n: 0, first: arrivedAt, last: arrivedAt });
    p.n++;
    p.first = Math.min(p.first, arrivedAt);
    p.last = Math.max(p.last, arrivedAt);
  }

  toJSON(): CatchUpState {
    return structuredClone(this.state);
  }

  figures(): CatchUpFigures {
    const seconds = Math.max(0, this.state.lastArrival - this.faultEnd) / 1000;
    // a partition whose backlog arrived at once (one fetch) is no limit: it drained faster than can be told
    const timed = Object.values(this.state.partitions ?? {}).filter((p) => p.last > p.first);
    const drain = timed.reduce((sum, p) => sum + p.n / ((p.last - p.first) / 1000), 0);
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
