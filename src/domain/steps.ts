import type { DrillConfig } from './drill-input';
import { FAULT_KINDS } from './faults';

/**
 * The drill's steps, in order, each with the activities it runs (the first one finds the step in
 * history, for `lab retry`). The one list the workflow, the progress query, the reports and retry
 * share. Workflow-safe. The names are checked against the activities in src/contracts/activities.ts.
 */
export const STEPS = {
  provision: ['provisionDrillLab', 'attachTarget'],
  'create-topic': ['createTopic'],
  'register-mirror': ['registerMirror'],
  'start-apps': ['startApps', 'prepareFailoverGroup'],
  'produce-v1': ['recordProduceStart', 'produceStudents'],
  'broker-kill': ['injectFault', 'undoFault'],
  'connect-kill': ['injectFault', 'undoFault'],
  'broker-pause': ['injectFault', 'undoFault'],
  'connect-pause': ['injectFault', 'undoFault'],
  'link-cut': ['injectFault', 'undoFault'],
  'link-degrade': ['injectFault', 'undoFault'],
  'disk-full': ['injectFault', 'undoFault'],
  'inject-fault': ['deleteMirroredRecords'],
  'verify-v1': ['verifyDelivery'],
  'consume-upstream': ['consumeUpstream'],
  failover: ['dataCenterDown', 'translateGroupOffsets', 'consumeDownstream', 'dataCenterUp'],
  'verify-failover': ['accountFailover'],
  'consume-primary': ['consumeSite'],
  'sync-registries': ['syncRegistries'],
  'pause-mirror': ['pauseMirror'],
  disaster: ['loseSite'],
  'failover-consumers': ['translateGroupOffsets', 'recordProduceStart', 'consumeSite'],
  'failover-producers': ['produceStudents'],
  'read-primary': ['dataCenterUp'],
  'verify-disaster': ['accountDisaster'],
  'primary-returns': ['stopMirror', 'provisionDrillLab', 'syncRegistries', 'recordProduceStart'],
  'reconcile-stranded': ['reconcileStranded'],
  'reverse-mirror': ['reverseMirror', 'recordProduceStart'],
  'failback-consumers': ['translateBack', 'consumeSite'],
  'failback-producers': ['produceStudents'],
  'resume-mirror': ['resumeMirror'],
  'verify-failback': ['accountFailback'],
  'evolve-schema': ['evolveSchema'],
  'produce-v2': ['recordProduceStart', 'produceStudents'],
  'verify-v2': ['verifyDelivery'],
  'check-metrics': ['checkMetrics'],
  'observe-flow': ['observeFlow'],
  teardown: ['teardownDrillLab'],
} as const satisfies Record<string, readonly [string, ...string[]]>;

export type StepName = keyof typeof STEPS;
type StepActivity = (typeof STEPS)[StepName][number];

/** The activity types that start a step (a provision runs one of two). */
export const stepStartActivities = (step: StepName): readonly StepActivity[] => (step === 'provision' ? STEPS.provision : [STEPS[step][0]]);

/**
 * The steps a drill with this config runs, in order: the one declaration of the order. The
 * workflow runs no step it does not list (see `unplannedStep`), the progress query counts it, and
 * tests take their expected order from it.
 */
export function plannedSteps(c: DrillConfig): StepName[] {
  const teardown: StepName[] = c.keepLab ? [] : ['teardown'];
  if (c.observeOnly) return ['provision', 'create-topic', 'register-mirror', 'observe-flow', 'check-metrics', ...teardown];
  // The primary dies during produce-v1's load; the DR side serves through the outage; then its disks are read.
  if (c.disaster)
    return [
      'provision',
      'create-topic',
      'register-mirror',
      'start-apps',
      'sync-registries',
      'produce-v1',
      'consume-primary',
      ...(c.disaster.pauseMirrorSeconds > 0 ? (['pause-mirror'] as StepName[]) : []),
      'disaster',
      'failover-consumers',
      'failover-producers',
      'read-primary',
      'verify-disaster',
      ...(c.disaster.failback
        ? ([
            'primary-returns',
            'reconcile-stranded',
            'reverse-mirror',
            'failback-consumers',
            'failback-producers',
            'resume-mirror',
            'verify-failback',
          ] as StepName[])
        : []),
      ...teardown,
    ];
  return [
    'provision',
    'create-topic',
    'register-mirror',
    'start-apps',
    'produce-v1',
    // during the steady load of produce-v1, each fault its own step, in scheduled order
    ...c.faults.inject.map((f) => f.kind),
    ...(c.faults.deleteMirroredRecords > 0 ? (['inject-fault'] as StepName[]) : []),
    'verify-v1',
    ...(c.failover ? (['consume-upstream', 'failover', 'verify-failover'] as StepName[]) : []),
    'evolve-schema',
    'produce-v2',
    'verify-v2',
    'check-metrics',
    ...teardown,
  ];
}

const isFault = (step: StepName) => (FAULT_KINDS as readonly string[]).includes(step);

/**
 * Why a step may not start now, given the steps started so far (in the order they started), or
 * undefined when it may: the plan lists it and has not run it yet, and no step the plan puts after
 * it has started. Steps may be skipped (after a failure, teardown follows at once); the faults
 * during the load run alongside one another, so they are not ordered among themselves.
 */
export function unplannedStep(plan: readonly StepName[], started: readonly StepName[], step: StepName): string | undefined {
  const left: (StepName | undefined)[] = [...plan];
  const startedAt: number[] = [];
  for (const s of started) {
    const i = left.indexOf(s);
    if (i < 0) continue;
    startedAt.push(i);
    left[i] = undefined; // that occurrence is taken
  }
  const at = left.indexOf(step);
  if (at < 0) return `step ${step} is not in the drill's plan (${plan.join(', ')}) or has already run`;
  const later = startedAt.find((i) => i > at && !(isFault(plan[i]!) && isFault(step)));
  return later === undefined ? undefined : `step ${step} comes before ${plan[later]} in the drill's plan, which has already started`;
}
