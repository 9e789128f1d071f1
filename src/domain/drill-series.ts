/**
 * A drill series: the chapter drill run several times, one after the other, each a child workflow
 * of one parent (the Kafka version matrix, the placement experiment). One result type for every
 * series, so the CLI renders and exits from the same shape. Workflow-safe.
 */
import type { DrillInput } from './drill-input';
import type { DrillReport } from './report';

export type DrillSeriesKind = 'kafka-matrix' | 'placement';

/** One run the parent will start: its label (short, id-safe, unique in the series) and its drill input. */
export interface SeriesRunPlan {
  label: string;
  input: DrillInput;
}

/** One run's outcome: the drill's report, or why it ended without one (cancelled, timed out, a bug). */
export interface DrillSeriesRun extends SeriesRunPlan {
  workflowId: string;
  verdict: 'passed' | 'failed';
  report?: DrillReport;
  error?: { type: string; message: string };
}

export interface DrillSeriesResult {
  kind: DrillSeriesKind;
  /** failed when any run failed; the runs after a failed one still ran. */
  verdict: 'passed' | 'failed';
  runs: DrillSeriesRun[];
}

/** What the parent's progress query answers: the runs done, and the one running now. */
export interface SeriesProgress {
  kind: DrillSeriesKind;
  total: number;
  done: DrillSeriesRun[];
  current?: { index: number; label: string; workflowId: string; input: DrillInput };
}

/**
 * A run's workflow id: the parent's id and the run's label. Deterministic, so a parent retried
 * (or replayed) finds its children again instead of starting them twice.
 */
export const childWorkflowId = (parentId: string, label: string) => `${parentId}-${label}`;

export const seriesVerdict = (runs: DrillSeriesRun[]): DrillSeriesResult['verdict'] =>
  runs.length > 0 && runs.every((r) => r.verdict === 'passed') ? 'passed' : 'failed';
