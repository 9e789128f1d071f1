import type { DrillConfig } from './drill-input';

/**
 * The drill's steps, in order, each with the activities it runs (the first one finds the step in
 * history, for `lab retry`). The one list the workflow, the progress query, the reports and retry
 * share. Workflow-safe.
 */
export const STEPS = {
  provision: ['provisionDrillLab', 'attachTarget'],
  'create-topic': ['createTopic'],
  'register-mirror': ['registerMirror'],
  'start-apps': ['startApps', 'prepareFailoverGroup'],
  'produce-v1': ['recordProduceStart', 'produceStudents'],
  'broker-kill': ['injectFault', 'undoFault'],
  'connect-kill': ['injectFault', 'undoFault'],
  'link-cut': ['injectFault', 'undoFault'],
  'link-degrade': ['injectFault', 'undoFault'],
  'inject-fault': ['deleteMirroredRecords'],
  'verify-v1': ['verifyDelivery'],
  'consume-upstream': ['consumeUpstream'],
  failover: ['dataCenterDown', 'translateGroupOffsets', 'consumeDownstream', 'dataCenterUp'],
  'verify-failover': ['accountFailover'],
  'evolve-schema': ['evolveSchema'],
  'produce-v2': ['recordProduceStart', 'produceStudents'],
  'verify-v2': ['verifyDelivery'],
  'check-metrics': ['checkMetrics'],
  'observe-flow': ['observeFlow'],
  teardown: ['teardownDrillLab'],
} as const satisfies Record<string, readonly string[]>;

export type StepName = keyof typeof STEPS;

/** The activity types that start a step (a provision runs one of two). */
export const stepStartActivities = (step: StepName): readonly string[] => (step === 'provision' ? STEPS.provision : [STEPS[step][0]]);

/** The steps a drill with this config runs, in order. */
export function plannedSteps(c: DrillConfig): StepName[] {
  const teardown: StepName[] = c.keepLab ? [] : ['teardown'];
  if (c.observeOnly) return ['provision', 'create-topic', 'register-mirror', 'observe-flow', 'check-metrics', ...teardown];
  return [
    'provision',
    'create-topic',
    'register-mirror',
    'start-apps',
    'produce-v1',
    // during the steady load of produce-v1, each fault its own step
    ...(c.faults.inject.map((f) => f.kind) as StepName[]),
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
