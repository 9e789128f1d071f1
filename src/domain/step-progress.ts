import type { StepName } from './steps';

/**
 * How far a long step has got (produce: records acknowledged; verify: records seen downstream,
 * then documents read from the index): sent by its activity to its workflow as the `stepProgress`
 * signal, answered by the `progress` query, drawn by the CLI. Workflow-safe.
 */
export interface StepProgress {
  step: StepName;
  /** What `done` counts, e.g. "acknowledged", "mirrored". */
  what: string;
  done: number;
  total: number;
  /** Over the last few seconds; 0 before two samples. */
  perSecond: number;
  /** At the current rate; absent when nothing moves. */
  secondsLeft?: number;
  /** Anything else worth a glance, e.g. "indexed 300,000". */
  note?: string;
  /** Epoch ms of the sample. */
  at: number;
}

/** The signal's name, shared by the activities that send it and the workflow that takes it. */
export const STEP_PROGRESS_SIGNAL = 'stepProgress';

/** Samples older than this no longer count towards the rate: it follows the step's pace, not its average. */
const RATE_WINDOW_MS = 10_000;

/** Turns a count sampled over time into progress: the rate over the last few seconds and the time left at it. */
export class ProgressMeter {
  private samples: [at: number, done: number][] = [];

  constructor(
    readonly step: StepName,
    readonly what: string,
    readonly total: number,
  ) {}

  sample(done: number, at: number, note?: string): StepProgress {
    this.samples.push([at, done]);
    // keep the newest sample at least RATE_WINDOW_MS old, so the rate spans the whole window
    while (this.samples.length > 2 && this.samples[1][0] <= at - RATE_WINDOW_MS) this.samples.shift();
    const [t0, d0] = this.samples[0];
    const perSecond = at > t0 ? Math.max(0, Math.round(((done - d0) / (at - t0)) * 1000)) : 0;
    const left = Math.max(0, this.total - done);
    return {
      step: this.step,
      what: this.what,
      done,
      total: this.total,
      perSecond,
      ...(perSecond > 0 ? { secondsLeft: Math.ceil(left / perSecond) } : {}),
      ...(note ? { note } : {}),
      at,
    };
  }
}

const n = (v: number) => v.toLocaleString('en-US');

/** "produce-v1: 412,000 of 1,000,000 acknowledged (41%), 35,210/s, 17 s left" */
export function progressLine(p: StepProgress): string {
  const pct = p.total > 0 ? ` (${Math.floor((Math.min(p.done, p.total) / p.total) * 100)}%)` : '';
  const rate = p.perSecond > 0 ? `, ${n(p.perSecond)}/s` : '';
  const left = p.secondsLeft !== undefined && p.done < p.total ? `, ${duration(p.secondsLeft)} left` : '';
  const note = p.note ? `; ${p.note}` : '';
  return `${p.step}: ${n(p.done)} of ${n(p.total)} ${p.what}${pct}${rate}${left}${note}`;
}

/** A bar for a terminal: `width` cells, filled by the share done. */
export function progressBar(p: StepProgress, width = 20): string {
  const filled = p.total > 0 ? Math.min(width, Math.floor((p.done / p.total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function duration(s: number): string {
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The reports newer than `since` (epoch ms), oldest first: what a follower polling the query has not shown yet. */
export function newerReports(live: StepProgress[] | undefined, since: number): StepProgress[] {
  return (live ?? []).filter((p) => p.at > since).sort((a, b) => a.at - b.at);
}
