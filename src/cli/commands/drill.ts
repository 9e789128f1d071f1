import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { isInputProblem, resolveDrillInput } from '../../domain/drill';
import { exitCodeForFailure, InvalidInputError } from '../../errors';
import { reportExitCode } from '../../report/exit-code';
import { renderReport, renderStepLine, reportJson } from '../../report/render-text';
import { workflowUiLink } from '../../temporal/config';
import { connectTemporal } from '../../temporal/dev-server';
import { runDrill } from '../../temporal/drill-runner';
import { drillInputFromFlags, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { createOutput } from '../output';
import { inProcessWorker } from '../worker';

export const DRILL_HELP = `lab drill [--topology lite|chapter | --target FILE] [--messages N] [--schema-v2 FILE] [--keep] [--json]
          [--topic T] [--partitions N] [--lab-id ID] [--port-offset N] [--delete-mirrored N]
          [--verify-timeout SECONDS] [--latency-threshold MS] [--fail-on-duplicates] [--workflow-id ID]
  Runs the chapter's drill as a Temporal workflow: provision, create the topic, register the mirror,
  produce v1, verify, evolve the schema, produce v2, re-verify, check metrics, tear down.
  Exit code 0 when every step passes, 1 when a verdict fails, 2 on bad input, 3 when a service is unreachable.`;

export async function drillCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: { ...DRILL_INPUT_OPTIONS, json: { type: 'boolean' }, 'workflow-id': { type: 'string' } },
  });
  const out = createOutput(!!v.json);
  const input = drillInputFromFlags(v);
  const config = resolveDrillInput(input);
  if (isInputProblem(config)) throw new InvalidInputError(config.problem, config.fix);
  // Fail before Temporal when Docker is down and the drill needs it (a lab, or its own apps next to a target).
  if (config.mode === 'provision' || !config.observeOnly) await connectDocker();

  const connection = await connectTemporal(out.progress);
  const worker = await inProcessWorker();
  const workflowId = v['workflow-id'] ?? `drill-${config.mode === 'attach' ? 'target' : config.topology}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  out.progress(`drill ${workflowId} started: ${workflowUiLink(workflowId)}`);
  try {
    const run = await runDrill(connection, input, {
      workflowId, worker, onStep: (s) => out.progress(renderStepLine(s)),
      memo: { topology: config.topology, target: config.target?.name ?? 'lab', messages: config.messages },
    });
    if (!run.report) {
      process.stderr.write(`error: drill ${workflowId} failed without a report: ${run.error?.message}\n`);
      out.result({ verdict: 'failed', drillId: workflowId, error: run.error });
      return exitCodeForFailure(run.error?.type);
    }
    out.text(`\n${renderReport(run.report)}\n\nTemporal UI: ${workflowUiLink(workflowId)}`);
    out.result(reportJson(run.report, { temporalUi: workflowUiLink(workflowId) }));
    return reportExitCode(run.report);
  } finally {
    await connection.close();
  }
}
