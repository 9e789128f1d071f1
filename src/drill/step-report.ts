import type { DataCenterChange, FailoverResult } from '../contracts/failover';
import type { FaultApplied } from '../contracts/faults';
import type { DisasterResult, SiteLost } from '../contracts/disaster';
import type { FailbackResult } from '../contracts/failback';
import type { EvolveOutput } from '../contracts/schema';
import type { VerifyOutput } from '../contracts/verify';
import type { DrillConfig } from '../domain/drill-input';
import { FAULT_KINDS, type FaultKind } from '../domain/faults';
import { failoverGroupOf } from '../domain/names';
import type { DrillReport, MetricCheck, StepName, StepResult } from '../domain/report';
import { subjectOf } from './step-inputs';

/** A fault step's finding: where it sits in the schedule, when it was applied and (once it was) undone. */
export interface FaultFound {
  scheduled: number;
  applied: FaultApplied;
  undone?: FaultApplied;
}

/**
 * What a step found that the report shows, by step: its result, or what it had found when it
 * failed (a fault applied but not undone, an outage upstream never came back from). A step's
 * result must hold its finding; steps not listed contribute only their verdict and summary.
 */
export type StepFindings = {
  'produce-v1': { schemaId: number };
  'verify-v1': VerifyOutput;
  'verify-v2': VerifyOutput;
  'evolve-schema': EvolveOutput;
  failover: { down: DataCenterChange; up?: DataCenterChange };
  'verify-failover': Pick<FailoverResult, 'accounting'>;
  'check-metrics': MetricCheck[];
  disaster: SiteLost;
  'verify-disaster': Pick<DisasterResult, 'rpo' | 'rto' | 'accounting' | 'latency'>;
  'verify-failback': Pick<FailbackResult, 'figures' | 'accounting'>;
} & Record<FaultKind, FaultFound>;

export type FindingOf<N extends StepName> = N extends keyof StepFindings ? StepFindings[N] : unknown;

/** One step's finding, as the step recorder keeps them (in the order the steps started). */
export type Finding = { [N in StepName]: { step: N; found: FindingOf<N> } }[StepName];

type Fault = NonNullable<DrillReport['faults']>[number];
type Schema = NonNullable<DrillReport['schema']>;
type Failover = NonNullable<DrillReport['failover']>;
type Verified = Pick<DrillReport, 'accounting' | 'latency' | 'consumer1Lag' | 'verifier' | 'latencyByPhase' | 'catchUp'>;

/** What each step contributes to the report, from its finding. Pure and workflow-safe. */
export const reportParts = {
  fault: (kind: FaultKind, f: FaultFound): Fault => ({
    kind,
    targets: f.applied.targets,
    from: f.applied.at,
    ...(f.undone ? { to: f.undone.at } : {}),
    ...(f.applied.evidence ? { evidence: [...f.applied.evidence, ...(f.undone?.evidence ?? [])] } : {}),
  }),
  // produce-v1 registered the run's v1; evolve-schema adds v2 and the subject's versions
  produced: (c: DrillConfig, r: StepFindings['produce-v1']): Schema => ({ subject: subjectOf(c), versions: [], v1Id: r.schemaId }),
  evolved: (v1: Schema, r: EvolveOutput): Schema => ({ ...v1, versions: r.versions, v2Id: r.v2Id, compatibility: r.compatibilityLevel }),
  verified: (r: VerifyOutput): Verified => ({
    accounting: r.accounting,
    latency: r.latency,
    consumer1Lag: r.consumer1Lag,
    verifier: { ...r.memory, resumed: r.resumed, ...(r.readOn ? { readOn: r.readOn } : {}) },
    ...(r.latencyByPhase ? { latencyByPhase: r.latencyByPhase } : {}),
    ...(r.catchUp ? { catchUp: r.catchUp } : {}),
  }),
  failover: (runId: string, r: StepFindings['failover']): Failover => ({
    group: failoverGroupOf(runId),
    targets: r.down.targets,
    from: r.down.at,
    ...(r.up ? { to: r.up.at } : {}),
  }),
  verifyFailover: (outage: Failover, r: StepFindings['verify-failover']): Failover => ({ ...outage, accounting: r.accounting }),
  // kept whether the step passes or fails: a failed check must show its query and what it saw
  checkMetrics: (checks: MetricCheck[]): MetricCheck[] => checks,
};

const isFault = (f: Finding): f is Extract<Finding, { step: FaultKind }> => (FAULT_KINDS as readonly string[]).includes(f.step);

const foundBy = <N extends StepName>(found: readonly Finding[], step: N): FindingOf<N>[] =>
  found.filter((f) => f.step === step).map((f) => f.found as FindingOf<N>);

/** The faults injected so far, in their scheduled order (whichever was applied first); undefined before any. */
export function faultsFound(found: readonly Finding[]): Fault[] | undefined {
  const faults = found
    .filter(isFault)
    .sort((a, b) => a.found.scheduled - b.found.scheduled)
    .map((f) => reportParts.fault(f.step, f.found));
  return faults.length > 0 ? faults : undefined;
}

/** How the drill began and how it ended: what no step's result says. */
export interface ReportFrame {
  drillId: string;
  runId: string;
  config: DrillConfig;
  steps: StepResult[];
  startedAt: string;
  finishedAt: string;
  verdict: DrillReport['verdict'];
  failedStep?: StepName;
  leftBehind?: DrillReport['leftBehind'];
}

/** The drill's report, assembled from its frame and what its steps found. */
export function drillReport(frame: ReportFrame, found: readonly Finding[]): DrillReport {
  const [produced] = foundBy(found, 'produce-v1');
  const [evolved] = foundBy(found, 'evolve-schema');
  const [metrics] = foundBy(found, 'check-metrics');
  const [outage] = foundBy(found, 'failover');
  const [accounted] = foundBy(found, 'verify-failover');
  const [lost] = foundBy(found, 'disaster');
  const [figures] = foundBy(found, 'verify-disaster');
  const [failback] = foundBy(found, 'verify-failback');
  const faults = faultsFound(found);
  const v1 = produced && reportParts.produced(frame.config, produced);
  const schema = v1 && evolved ? reportParts.evolved(v1, evolved) : v1;
  const moved = outage && reportParts.failover(frame.runId, outage);
  const failover = moved && accounted ? reportParts.verifyFailover(moved, accounted) : moved;
  // a later verification's figures replace the earlier one's
  const verified = Object.assign(
    {},
    ...[...foundBy(found, 'verify-v1'), ...foundBy(found, 'verify-v2')].map(reportParts.verified),
  ) as Verified;
  return {
    drillId: frame.drillId,
    runId: frame.runId,
    verdict: frame.verdict,
    config: frame.config,
    steps: frame.steps,
    metrics: metrics ? reportParts.checkMetrics(metrics) : [],
    startedAt: frame.startedAt,
    finishedAt: frame.finishedAt,
    ...(faults ? { faults } : {}),
    ...(schema ? { schema } : {}),
    ...verified,
    // a disaster drill's replication latency is its mirror's up to the disaster
    ...(figures?.latency ? { latency: figures.latency } : {}),
    ...(failover ? { failover } : {}),
    ...(lost
      ? {
          disaster: {
            at: lost.at,
            targets: lost.targets,
            evidence: lost.evidence,
            ...(figures ? { rpo: figures.rpo, rto: figures.rto, accounting: figures.accounting } : {}),
          },
        }
      : {}),
    ...(failback ? { failback: { ...failback.figures, accounting: failback.accounting } } : {}),
    ...(frame.failedStep ? { failedStep: frame.failedStep } : {}),
    ...(frame.leftBehind ? { leftBehind: frame.leftBehind } : {}),
  };
}
