import type { DrillConfig } from './drill-input';
import type { CatchUpFigures } from './catch-up';
import type { FailoverAccounting } from './failover';
import type { DisasterAccounting, RpoFigures, RtoFigures } from './disaster';
import type { FailbackAccounting, FailbackFigures } from './failback';
import type { StepName } from './steps';
import type { StepProgress } from './step-progress';

export type { StepName } from './steps';
export type Verdict = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  name: StepName;
  verdict: Verdict;
  startedAt: string;
  durationMs: number;
  summary: string;
  error?: { type: string; message: string };
}

/** Every acknowledged message accounted for, downstream and in Elasticsearch. */
export interface Accounting {
  produced: number;
  mirrored: number;
  indexed: number;
  lost: number;
  duplicated: number;
  reordered: number;
  altered: number;
  missingInIndex: number;
  alteredInIndex: number;
  /**
   * Of the lost, how many the upstream topic does not hold either (read only when something was
   * lost): those were never written upstream, the rest the mirror lost. Absent when not read.
   */
  lostUpstream?: number;
  /** Why the upstream topic could not be read to tell where the lost went. */
  lostUpstreamUnknown?: string;
  /** A few sequence numbers of each problem, to start an investigation from. */
  examples: { lost: number[]; duplicated: number[]; reordered: number[]; altered: number[]; missingInIndex: number[] };
}

export interface LatencyFigures {
  /** false when the evidence cannot give arrival times (then the figures below are not measurements). */
  available: boolean;
  unavailableReason?: string;
  count: number;
  /** Samples below zero: the producer's clock ahead of the broker's. Kept in the percentiles. */
  negative: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** [interval start epoch ms (by produce time), worst latency ms in it], at most a few hundred, for charts. */
  samples: [number, number][];
  /** Width of the chart's intervals. */
  intervalMs?: number;
}

export interface MetricCheck {
  name: string;
  query: string;
  verdict: Verdict;
  observed: string;
  expectation: string;
}

export interface DrillReport {
  drillId: string;
  runId: string;
  verdict: Verdict;
  failedStep?: StepName;
  config: DrillConfig;
  steps: StepResult[];
  accounting?: Accounting;
  latency?: LatencyFigures;
  /** In a fault drill: latency of the records produced during a fault, and after the last one. */
  latencyByPhase?: { during: LatencyFigures; after: LatencyFigures };
  /** In a fault drill: the backlog the mirror drained after the last fault, how long it took, at what rate. */
  catchUp?: CatchUpFigures;
  consumer1Lag?: number;
  /** The last verification's footprint: per-message state, the worker's peak memory, records a retry took over. */
  /** readOn: records already downstream but not yet read when the verifier stopped waiting, read before judging. */
  verifier?: { stateBytes: number; peakRssMiB: number; resumed: number; readOn?: number };
  schema?: { subject: string; versions: number[]; v1Id?: number; v2Id?: number; compatibility?: string };
  metrics: MetricCheck[];
  /** Faults injected during the steady load: what was hit, from when to when (epoch ms). */
  /** Each fault and its proof: what was hit, when, and what showed it applied and undone. */
  faults?: { kind: string; targets: string[]; from: number; to?: number; evidence?: string[] }[];
  /** A failover drill: the outage (epoch ms), what it took down, and the group's accounting. */
  failover?: { group: string; targets: string[]; from: number; to?: number; accounting?: FailoverAccounting };
  /**
   * A disaster drill: when the primary died and what died with it, and (once read from its disks)
   * RPO, RTO and every record accounted for.
   */
  disaster?: {
    at: number;
    targets: string[];
    evidence: string[];
    rpo?: RpoFigures;
    rto?: RtoFigures;
    accounting?: DisasterAccounting;
  };
  /** A failback after the disaster: how long coming back took, what moved back, the stranded records, and both sides accounted for. */
  failback?: FailbackFigures & { accounting: FailbackAccounting };
  /** What a failed teardown left behind, by name. */
  leftBehind?: { containers: string[]; networks: string[]; volumes: string[] };
  startedAt: string;
  finishedAt: string;
}

export interface DrillProgress {
  step: StepName | 'starting' | 'done';
  completed: StepName[];
  total: number;
  /** How far each running long step has got (produce, verify), from its activity's latest report. */
  live?: StepProgress[];
}
