/**
 * How the mirror caught up after the last fault: the records produced before it was undone that
 * arrived downstream only after (the backlog), how long after the undo the last of them arrived,
 * and the rate the mirror drained them at. Pure and workflow-safe; its state is two numbers, so a
 * retried verifier takes it over from its heartbeat.
 */
export interface CatchUpState {
  backlog: number;
  lastArrival: number;
}

export interface CatchUpFigures {
  /** Records produced before the last fault was undone and mirrored after it. */
  backlog: number;
  /** From the undo until the last of them arrived downstream. */
  seconds: number;
  /** backlog / seconds: what the mirror sustained while catching up (new records flowed too). */
  perSecond: number;
}

export class CatchUp {
  private state: CatchUpState;
  constructor(
    readonly faultEnd: number,
    saved?: CatchUpState,
  ) {
    this.state = saved ? { ...saved } : { backlog: 0, lastArrival: faultEnd };
  }

  add(producedAt: number, arrivedAt: number): void {
    if (producedAt > this.faultEnd || arrivedAt <= this.faultEnd) return;
    this.state.backlog++;
    this.state.lastArrival = Math.max(this.state.lastArrival, arrivedAt);
  }

  toJSON(): CatchUpState {
    return { ...this.state };
  }

  figures(): CatchUpFigures {
    const seconds = Math.max(0, this.state.lastArrival - this.faultEnd) / 1000;
    return {
      backlog: this.state.backlog,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: seconds > 0 ? Math.round(this.state.backlog / seconds) : 0,
    };
  }
}
