import { TypedSearchAttributes } from '@temporalio/common';
import { ApplicationFailure, ChildWorkflowFailure, executeChild, isCancellation, workflowInfo } from '@temporalio/workflow';
import { isInputProblem } from '../src/domain/input-problem';
import { labTargetValue } from '../src/domain/search-attributes';
import { resolveDrillInput } from '../src/domain/resolve-drill-input';
import type { DrillInput } from '../src/domain/drill-input';
import { FailureType } from '../src/domain/failures';
import { matrixRuns, type KafkaMatrixInput, type KafkaMatrixResult, type KafkaMatrixVersion } from '../src/domain/kafka-matrix';
import type { DrillReport } from '../src/domain/report';
import { LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../src/domain/search-attributes';
import { chapterDrillWorkflow } from './chapter-drill';

/**
 * The nightly Kafka version matrix: the chapter drill once per Kafka version, one after the other
 * (the machine runs one lab's load at a time), each a child workflow on a lab of its own. The result
 * is one verdict per version; a failing version does not stop the others. `{}` drills every
 * supported version on lite labs.
 */
export async function kafkaMatrixWorkflow(input: KafkaMatrixInput = {}): Promise<KafkaMatrixResult> {
  const drill: DrillInput = input.drill ?? {};
  const runs = matrixRuns({ labId: drill.labId, portOffset: drill.portOffset, kafkaVersions: input.kafkaVersions });
  // A version is any string the user gave until resolveDrillInput checks it, just below.
  const inputs = runs.map((r) => ({
    ...drill,
    kafkaVersion: r.kafkaVersion as DrillInput['kafkaVersion'],
    labId: r.labId,
    portOffset: r.portOffset,
  }));
  // Every version's input is checked before the first drill starts.
  for (const i of inputs) {
    const c = resolveDrillInput(i);
    if (isInputProblem(c)) {
      throw ApplicationFailure.nonRetryable(`invalid matrix input: ${c.problem} (fix: ${c.fix})`, FailureType.InvalidInput);
    }
  }
  const versions: KafkaMatrixVersion[] = [];
  for (const [n, r] of runs.entries()) {
    const config = resolveDrillInput(inputs[n]);
    if (isInputProblem(config)) throw new Error('checked above');
    const drillId = `${workflowInfo().workflowId}-k${r.kafkaVersion}`;
    let report: DrillReport | undefined;
    let error: string | undefined;
    try {
      report = await executeChild(chapterDrillWorkflow, {
        args: [inputs[n]],
        workflowId: drillId,
        // found like any drill: by topology, lab and verdict
        typedSearchAttributes: new TypedSearchAttributes([
          { key: LAB_TOPOLOGY, value: config.topology },
          { key: LAB_TARGET, value: labTargetValue(config) },
          { key: LAB_VERDICT, value: 'running' },
        ]),
      });
    } catch (e) {
      if (isCancellation(e)) throw e;
      // A failed drill carries its report (the failed verdict) as the failure's first detail.
      const cause = e instanceof ChildWorkflowFailure ? e.cause : undefined;
      report = (cause as { details?: unknown[] } | undefined)?.details?.[0] as DrillReport | undefined;
      if (!report) error = (cause ?? (e as Error)).message;
    }
    versions.push({
      ...r,
      drillId,
      verdict: report?.verdict ?? 'failed',
      ...(report?.failedStep ? { failedStep: report.failedStep } : {}),
      ...(error ? { error } : {}),
      ...(report?.accounting
        ? { produced: report.accounting.produced, lost: report.accounting.lost, duplicated: report.accounting.duplicated }
        : {}),
      stepSeconds: Object.fromEntries((report?.steps ?? []).map((s) => [s.name, Math.round(s.durationMs / 100) / 10])),
    });
  }
  return { verdict: versions.every((v) => v.verdict === 'passed') ? 'passed' : 'failed', versions };
}
