import type { CatchUpFigures } from '../domain/catch-up';
import type { TargetAccess } from '../domain/access';
import type { ExpectedMessages } from '../domain/accounting';
import type { Accounting, LatencyFigures } from '../domain/report';
import type { StepName } from '../domain/steps';

export interface VerifyInput {
  /** The drill step this verification is: its progress reports are labelled with it. */
  step?: StepName;
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  schemaRegistryUrl: string;
  elasticsearchUrl: string;
  topic: string;
  mirroredTopic: string;
  index: string;
  runId: string;
  /** What the run produced, as sequence ranges (never a list of records). */
  expected: ExpectedMessages;
  /** Writer schema (JSON text) per generation, to derive what each message must contain. */
  schemas: Record<string, string>;
  /** When this run's first produce started (recorded before it sent anything); the mirrored topic is read from just before it. */
  sinceMs: number;
  deadlineSeconds: number;
  failOnDuplicates: boolean;
  /** The upstream real-time consumer whose lag must reach zero. */
  upstreamGroup: string;
  /** Fault windows (epoch ms) of this run: latency is then also given during them and after the last. */
  faultWindows?: FaultWindow[];
  /** The steady load's rate (msg/s) during the faults: the mirror must drain their backlog faster. */
  loadRate?: number;
  access?: TargetAccess;
}

/** When a fault was in effect; the kind names it in the verdict (histories before it carry none). */
export interface FaultWindow {
  from: number;
  to: number;
  kind?: string;
}

export interface VerifyOutput {
  accounting: Accounting;
  latency: LatencyFigures;
  consumer1Lag: number;
  problems: string[];
  waitedMs: number;
  /** With fault windows: latency of the records produced during a fault, and after the last one. */
  latencyByPhase?: { during: LatencyFigures; after: LatencyFigures };
  /** With fault windows: how the mirror caught up after the last one. */
  catchUp?: CatchUpFigures;
  /** With fault windows: the records found produced during each fault, in the windows' order (none: the fault was not tested). */
  perFault?: number[];
  /** Mirrored records an earlier attempt had already accounted for (this attempt went on from there). */
  resumed: number;
  /**
   * Records already in the mirrored topic but not yet read when the verifier stopped waiting (its
   * deadline, or every message seen with --fail-on-duplicates): read before judging, never counted lost.
   */
  readOn?: number;
  /** The verifier's own footprint: its per-message state, and the worker's peak resident memory while it ran. */
  memory: { stateBytes: number; peakRssMiB: number };
}
