import type { MirrorPositions } from '../clients/connect';
import type { StrandedAction, UpstreamLoad } from '../domain/disaster';
import type { FailbackAccounting, FailbackFigures, ReturnState, ReverseState, StrandedList } from '../domain/failback';
import type { ConnectorState } from './mirror';
import type { ReplicationPolicy } from '../domain/names';
import type { Offsets } from './failover';

export interface StopMirrorInput {
  connectUrl: string;
  /** The forward mirror's topic on the DR side: where it stood when stopped is read there. */
  downstreamBootstrap: string[];
  mirroredTopic: string;
}

export interface MirrorStopped {
  connector: string;
  /** When the failback began: the forward mirror stopped, before the primary returns. */
  at: number;
  /** The connector's state read back (STOPPED). */
  state: string;
  /** The mirrored topic's end once stopped: what the forward mirror carries after it resumes lies past it. */
  mirroredEnd: Record<number, string>;
}

export interface ReconcileStrandedInput {
  primaryBootstrap: string[];
  drBootstrap: string[];
  topic: string;
  mirroredTopic: string;
  drTopic: string;
  runId: string;
  action: StrandedAction;
  upstream: UpstreamLoad;
  /** Where the run began on the primary and in the mirror. */
  startOffsets: { primary: Record<number, string>; mirrored: Record<number, string> };
  /** The mirror's end when it was stopped, and the primary's end when it returned. */
  mirroredEnd: Record<number, string>;
  primaryEnd: Record<number, string>;
}

export interface StrandedReconciled {
  action: StrandedAction;
  records: number;
  partitions: StrandedList[];
  /** Written again on the DR topic by this step (republish), and found there from an earlier attempt. */
  republished: number;
  alreadyThere: number;
}

export interface ReverseMirrorInput {
  connectUrl: string;
  /** The clusters as the Connect workers see them: the DR side is the source now. */
  sourceBootstrap: string[];
  targetBootstrap: string[];
  /** The same, as this host reaches them. */
  sourceHostBootstrap: string[];
  targetHostBootstrap: string[];
  /** The DR cluster's own topic, mirrored back as `dst.<topic>`. */
  topic: string;
  reverseTopic: string;
  partitions: number;
  replicationFactor: number;
  tuning?: 'chapter' | 'throughput';
  replicationPolicy: ReplicationPolicy;
  /**
   * Under IdentityReplicationPolicy the DR topic holds the forward mirror's copies before the DR
   * side's own records: the reverse mirror starts where those begin (and is created stopped to be
   * placed there), or it would copy the primary's records back onto it.
   */
  from?: Record<number, string>;
  timeoutSeconds: number;
}

export interface ReverseMirrored {
  connectors: ConnectorState[];
  registeredAt: number;
  /** Where the copy began on the primary's reverse-mirrored topic. */
  startOffsets: Record<number, string>;
  /** Every partition of the DR topic copied to its end, as the connector's committed positions say (lag zero). */
  caughtUpAt: number;
  /** Records it copied: from where the DR side's own records begin to the DR topic's end. */
  copied: number;
  /** The DR topic's end it caught up to. */
  sourceEnd: Offsets;
}

export interface TranslateBackInput {
  drBootstrap: string[];
  primaryBootstrap: string[];
  group: string;
  drTopic: string;
  reverseTopic: string;
  timeoutSeconds: number;
}

export interface TranslatedBack {
  /** The group's committed offsets on the DR topic. */
  committedDr: Offsets;
  /** Per partition of the reverse-mirrored topic: the checkpoint that translates them (upstream: the DR topic). */
  translated: Record<number, { upstreamOffset: number; downstreamOffset: number; at: number }>;
}

export interface ResumeMirrorInput {
  connectUrl: string;
  primaryBootstrap: string[];
  topic: string;
  /** Per partition, the first offset of the primary's topic the forward mirror copies: its end when the primary returned. */
  from: Record<number, string>;
  timeoutSeconds: number;
}

export interface MirrorResumed {
  at: number;
  /** The forward mirror caught up with the primary's topic (lag zero), and the reverse mirror removed. */
  caughtUpAt: number;
  positions: MirrorPositions;
  removed: string[];
}

export interface AccountFailbackInput {
  primaryBootstrap: string[];
  drBootstrap: string[];
  elasticsearchUrl: string;
  index: string;
  topic: string;
  mirroredTopic: string;
  drTopic: string;
  reverseTopic: string;
  runId: string;
  action: StrandedAction;
  upstream: UpstreamLoad;
  dr: { first: number; count: number };
  failback: { first: number; count: number };
  startOffsets: {
    primary: Record<number, string>;
    mirrored: Record<number, string>;
    dr: Record<number, string>;
    reverse: Record<number, string>;
  };
  mirroredEnd: Record<number, string>;
  primaryEnd: Record<number, string>;
  /** Where the producers began on the primary after failback (past what the reverse mirror brought back into its topic, under IdentityReplicationPolicy). */
  producersStart: Record<number, string>;
  drGroup: { start: Offsets; end: Offsets };
  reverseStates: Omit<ReverseState, 'syncs'>[];
  primaryStates: ReturnState[];
  marks: { startedAt: number; backAt: number; firstAckPrimary?: number; firstProcessedPrimary?: number };
  reverse: { registeredAt: number; caughtUpAt: number };
  maxFailbackSeconds?: number;
}

export interface FailbackResult {
  accounting: FailbackAccounting;
  figures: FailbackFigures;
  problems: string[];
}
