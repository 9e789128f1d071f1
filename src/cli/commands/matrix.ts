import { parseArgs } from 'node:util';
import type { DrillSeriesResult, DrillSeriesRun } from '../../domain/drill-series';
import { matrixPlan, MATRIX_PORT_STEP, type KafkaMatrixInput } from '../../domain/kafka-matrix';
import { ExitCode, InvalidInputError } from '../../errors';
import { seriesExitCode, seriesJson } from '../../report/series';
import { workflowUiLink } from '../../temporal/config';
import { kafkaMatrixWorkflow } from '../../../workflows';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { createOutput } from '../output';
import { kafkaVersionList, MatrixOptions } from '../run-options';
import { runSeriesCommand, unfinishedJson } from '../series';
import { renderTable } from '../table';

const OPTIONS = flagSpecs(MatrixOptions);

export const MATRIX_HELP = `lab matrix [--kafka-versions V,V...] [--json] [drill flags]
  Runs the drill once per Kafka version, one after the other, each on a lab of its own
  (lab id <lab-id>-k<version digits>, default matrix-k391...; port offset +${MATRIX_PORT_STEP} per version),
  as child workflows of one kafkaMatrixWorkflow (its id is printed, to open in the Temporal UI),
  and prints one verdict per version with each step's duration. Exit 0 when every version passed,
  1 when a verdict failed, 3 or 4 when a drill could not run. Nightly: \`lab schedule create --matrix\`.
${flagHelp(OPTIONS)}
  Drill flags (--kafka-version and --target are the matrix's own):
${DRILL_FLAGS_HELP}`;

export async function matrixCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(OPTIONS) } });
  const o = parseFlags(MatrixOptions, v);
  const drill = drillInputFromFlags(v);
  if (drill.target || v['kafka-version'] !== undefined) {
    throw new InvalidInputError(
      'the matrix sets --kafka-version itself and drills labs only',
      'use --kafka-versions V,V and leave out --target',
    );
  }
  const input: KafkaMatrixInput = { kafkaVersions: kafkaVersionList(o.kafkaVersions), drill };
  const out = createOutput(o.json);
  const { workflowId, outcome, interrupted } = await runSeriesCommand(
    { kind: 'kafka-matrix', workflow: kafkaMatrixWorkflow, input },
    matrixPlan(input),
    out,
    {
      starts: (r, i, total) =>
        `Kafka ${r.input.kafkaVersion} (${i + 1}/${total}): lab ${r.input.labId}, port offset ${r.input.portOffset ?? 0}`,
      ends: (r) => `Kafka ${r.input.kafkaVersion}: ${verdictLine(r)}`,
    },
  );
  const result = outcome.result;
  if (!result) {
    process.stderr.write(`error: matrix ${workflowId} ended without a result: ${outcome.error?.message}\n`);
    out.result(unfinishedJson('kafka-matrix', workflowId, outcome, interrupted));
    return interrupted ? ExitCode.Interrupted : ExitCode.Internal;
  }
  out.text(`\n${renderMatrix(result)}\n\nTemporal UI: ${workflowUiLink(workflowId)}`);
  out.result(seriesJson(result, { workflowId, temporalUi: workflowUiLink(workflowId) }));
  return seriesExitCode(result);
}

const verdictLine = (r: DrillSeriesRun) =>
  r.error
    ? `${r.verdict} (${r.error.type}: ${r.error.message})`
    : `${r.verdict}${r.report?.failedStep ? ` at ${r.report.failedStep}` : ''}, ${r.report?.accounting?.produced ?? 0} produced, ${r.report?.accounting?.lost ?? 0} lost`;

/** One verdict per version, then each step's duration per version side by side. */
export function renderMatrix(result: DrillSeriesResult): string {
  const runs = result.runs;
  const verdicts = renderTable(
    ['Kafka', 'lab', 'verdict', 'produced', 'mirrored', 'indexed', 'lost', 'duplicated', 'reordered', 'drill'],
    runs.map((r) => {
      const a = r.report?.accounting;
      return [
        r.input.kafkaVersion ?? '-',
        r.input.labId ?? '-',
        r.error ? `${r.verdict}: ${r.error.message}` : r.report?.failedStep ? `${r.verdict} at ${r.report.failedStep}` : r.verdict,
        a?.produced ?? '-',
        a?.mirrored ?? '-',
        a?.indexed ?? '-',
        a?.lost ?? '-',
        a?.duplicated ?? '-',
        a?.reordered ?? '-',
        r.workflowId,
      ];
    }),
  );
  const names = [...new Set(runs.flatMap((r) => r.report?.steps.map((s) => s.name) ?? []))];
  const seconds = (r: DrillSeriesRun, name: string) => {
    const s = r.report?.steps.find((x) => x.name === name);
    return s ? `${(s.durationMs / 1000).toFixed(1)}${s.verdict === 'passed' ? '' : ` ${s.verdict}`}` : '-';
  };
  const steps = renderTable(
    ['step (s)', ...runs.map((r) => r.input.kafkaVersion ?? r.label)],
    names.map((n) => [n, ...runs.map((r) => seconds(r, n))]),
  );
  return `${verdicts}\n\n${steps}`;
}
