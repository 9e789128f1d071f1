import { matrixPlan, type KafkaMatrixInput } from '../src/domain/kafka-matrix';
import type { DrillSeriesResult } from '../src/domain/drill-series';
import { runSeries } from './drill-series';

/**
 * The Kafka version matrix: the chapter drill once per Kafka version, each a child workflow on a
 * lab of its own. A failing version does not stop the others. `{}` drills every supported version
 * on lite labs. Its children and their options are those of the matrix before drill series, so
 * histories recorded then replay unpatched (test/workflow/replay.test.ts); only the result's shape changed.
 */
export async function kafkaMatrixWorkflow(input: KafkaMatrixInput = {}): Promise<DrillSeriesResult> {
  return runSeries('kafka-matrix', matrixPlan(input));
}
