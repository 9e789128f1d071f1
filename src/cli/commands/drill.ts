import { parseArgs } from 'node:util';
import { ExitCode, exitCodeForFailure } from '../../errors';
import { reportExitCode } from '../../report/exit-code';
import { renderReport, renderStepLine, reportJson } from '../../report/render-text';
import { workflowUiLink } from '../../temporal/config';
import { connectTemporal } from '../../temporal/dev-server';
import { cancelOnInterrupt, followDrill } from '../../temporal/drill-runner';
import { checkDrill, launchDrill } from '../../temporal/launch-drill';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { DrillRunOptions } from '../run-options';
import { createOutput } from '../output';

const RUN_FLAGS = flagSpecs(DrillRunOptions);

export const DRILL_HELP = `lab drill [flags]
  Runs the chapter's drill as a Temporal workflow: provision, create the topic, register the mirror,
  produce v1, verify, evolve the schema, produce v2, re-verify, check metrics, tear down.
  One drill per lab at a time. Ctrl-C cancels the drill and tears its lab down; --timeout ends a
  drill that runs, or waits for a worker, longer than that.
  Exit code 0 when every step passes, 1 when a verdict fails, 2 on bad input, 3 when a service is
  unreachable, 4 on an unexpected error, 130 when interrupted.
  The drill's input (the same fields in the Temporal UI, docs/drill-input.schema.json):
${DRILL_FLAGS_HELP}
  How it runs:
${flagHelp(RUN_FLAGS)}`;

export async function drillCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(RUN_FLAGS) } });
  const out = createOutput(!!v.json);
  const run = parseFlags(DrillRunOptions, v);
  const input = drillInputFromFlags(v);
  const config = await checkDrill(input);
  const connection = await connectTemporal(out.progress);
  const { handle, workflowId, worker } = await launchDrill(connection, input, config, {
    workflowId: run.workflowId,
    timeoutMinutes: run.timeout,
    log: out.progress,
  });
  out.progress(`drill ${workflowId} started: ${workflowUiLink(workflowId)}`);
  const interrupt = cancelOnInterrupt(handle, out.progress);
  try {
    const run = await followDrill(handle, { workflowId, worker, onStep: (s) => out.progress(renderStepLine(s)), onProgress: out.live });
    if (interrupt.interrupted()) {
      out.result({
        verdict: 'failed',
        drillId: workflowId,
        error: { type: 'Interrupted', message: 'cancelled from the CLI' },
        ...(run.report ? { report: reportJson(run.report) } : {}),
      });
      return ExitCode.Interrupted;
    }
    if (!run.report) {
      process.stderr.write(`error: drill ${workflowId} failed without a report: ${run.error?.message}\n`);
      out.result({ verdict: 'failed', drillId: workflowId, error: run.error });
      return exitCodeForFailure(run.error?.type);
    }
    out.text(`\n${renderReport(run.report)}\n\nTemporal UI: ${workflowUiLink(workflowId)}`);
    out.result(reportJson(run.report, { temporalUi: workflowUiLink(workflowId) }));
    return reportExitCode(run.report);
  } finally {
    interrupt.dispose();
    await connection.close();
  }
}
