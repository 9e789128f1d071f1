import type { DrillSeriesResult } from '../src/domain/drill-series';
import { placementPlan, type PlacementInput } from '../src/domain/placement';
import { runSeries } from './drill-series';

/**
 * The placement experiment: the same fault drill with Connect downstream, then upstream, `trials`
 * times each, each a child workflow. `{}` runs two trials of each with the default faults.
 */
export async function placementExperimentWorkflow(input: PlacementInput = {}): Promise<DrillSeriesResult> {
  return runSeries('placement', placementPlan(input));
}
