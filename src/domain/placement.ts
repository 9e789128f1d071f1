/**
 * The placement experiment: the same fault drill with Kafka Connect (MirrorMaker 2) next to the
 * downstream cluster and next to the upstream one, several trials each. Workflow-safe.
 */
import type { DrillInput } from './drill-input';
import type { SeriesRunPlan } from './drill-series';
import { parseFaultFlag, type FaultInput } from './faults';
import { MATRIX_PORT_STEP } from './kafka-matrix';

export const PLACEMENTS = ['downstream', 'upstream'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Without faults of its own: a cut of the link and a killed Connect worker, the two faults placement is about. */
export const DEFAULT_PLACEMENT_FAULTS = ['link-cut:30', 'connect-kill:15'];
export const DEFAULT_PLACEMENT_TRIALS = 2;

/**
 * The experiment workflow's one input, every field optional. `drill` is the drill input each trial
 * runs with; its labId and portOffset are the bases the placements derive from.
 */
export interface PlacementInput {
  /** Drills per placement (default 2). */
  trials?: number;
  /** Standing WAN latencies to compare (e.g. ["0ms", "50ms", "100ms"]): every placement and trial runs once per latency. */
  wanLatencies?: string[];
  drill?: DrillInput;
}

/**
 * The runs, downstream's trials first. Each placement has its own lab (`<labId>-<placement>`,
 * default exp-downstream) and ports (MATRIX_PORT_STEP apart), so a kept lab of one never holds
 * the other's ports; a placement's trials run one after the other on its lab, each torn down.
 */
export function placementPlan(input: PlacementInput = {}): SeriesRunPlan[] {
  const drill = input.drill ?? {};
  const inject = drill.faults?.inject?.length ? drill.faults.inject : DEFAULT_PLACEMENT_FAULTS.map((f) => parseFaultFlag(f) as FaultInput);
  const trials = input.trials ?? DEFAULT_PLACEMENT_TRIALS;
  // without latencies, the labels (and so the children's ids) are those of runs from before them
  const latencies: (string | undefined)[] = input.wanLatencies?.length ? input.wanLatencies : [undefined];
  return latencies.flatMap((wanLatency) =>
    PLACEMENTS.flatMap((connectPlacement, i) =>
      Array.from({ length: trials }, (_, t) => ({
        label: `${connectPlacement}${wanLatency ? `@${wanLatency}` : ''}-${t + 1}`,
        input: {
          ...drill,
          ...(wanLatency ? { wanLatency } : {}),
          faults: { ...drill.faults, inject },
          connectPlacement,
          labId: `${drill.labId ?? 'exp'}-${connectPlacement}`,
          portOffset: (drill.portOffset ?? 0) + i * MATRIX_PORT_STEP,
        },
      })),
    ),
  );
}

/** A run's placement and trial, from its label. */
export function placementOf(label: string): { placement: string; trial: number } {
  const m = /^(.*)-(\d+)$/.exec(label);
  return m ? { placement: m[1], trial: Number(m[2]) } : { placement: label, trial: 1 };
}
