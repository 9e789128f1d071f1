import { drillConfigProblem } from './drill-config-checks';
import { DrillInputSchema, type DrillConfig } from './drill-input';
import { disasterLoadMessages, FAILOVER_MESSAGES, FAULT_LOAD_RATE, faultLoadMessages } from './drill-load';
import { inputProblemOf, type InputProblem } from './input-problem';
import { DEFAULT_LAB_ID } from './lab-settings';
import { indexOf, mirroredTopicOf } from './names';
import { STUDENT_SCHEMA_V2 } from './student-schema';

/**
 * Fills defaults and checks the drill input; pure, so the workflow and the CLI share it.
 * `faultRecovery` false: a fault drill's load as planned before it covered broker restarts (the
 * workflow passes its patch, so a drill in flight then keeps its count).
 */
export function resolveDrillInput(input: unknown = {}, opts: { faultRecovery?: boolean } = {}): DrillConfig | InputProblem {
  const parsed = DrillInputSchema.safeParse(input);
  if (!parsed.success) return inputProblemOf(parsed.error.issues[0], input, DrillInputSchema);
  const i = parsed.data;
  // A fault needs a load that flows through it: a steady rate, and enough messages to outlast the faults.
  const faulted = i.faults.inject.length > 0;
  const rate = (faulted || i.disaster) && i.rate === 0 ? FAULT_LOAD_RATE : i.rate;
  const messages =
    i.messages ??
    (i.disaster
      ? disasterLoadMessages(rate, i.disaster.afterSeconds)
      : faulted
        ? faultLoadMessages(rate, i.faults.inject, opts.faultRecovery ?? true)
        : i.failover
          ? FAILOVER_MESSAGES
          : 100);
  const c: DrillConfig = {
    ...i,
    rate,
    messages,
    // A fault holds records back for its duration: that much latency is the fault, not a failure.
    // A fault of D s holds D s of records back, and the mirror then drains them while new ones
    // arrive: at three times the load's rate that takes D/2 more. Past that, the mirror is too slow.
    latencyThresholdMs: i.latencyThresholdMs ?? 30_000 + 1500 * i.faults.inject.reduce((n, f) => n + (f.durationSeconds ?? 15), 0),
    mode: i.target ? 'attach' : 'provision',
    // Against a target, the drill's own apps get a lab id of their own (nothing else is created).
    labId:
      i.labId ??
      (i.target
        ? `target-${(i.target.name ?? 'x')
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '-')
            .slice(0, 20)}`
        : DEFAULT_LAB_ID),
    mirroredTopic: mirroredTopicOf(i.topic, i.replicationPolicy),
    replicationFactor: i.replicationFactor ?? (i.topology === 'chapter' ? 3 : 1),
    schemaV2: i.schemaV2 ?? JSON.stringify(STUDENT_SCHEMA_V2),
    index: i.index ?? indexOf(i.topic),
    // Both generations are verified at the end: the default deadline grows with what must arrive.
    verifyTimeoutSeconds: i.verifyTimeoutSeconds ?? 180 + Math.ceil((2 * messages) / 1000),
  };
  return drillConfigProblem(c) ?? c;
}
