import { parseArgs } from 'node:util';
import { exitCodeForFailure, InvalidInputError } from '../../errors';
import { reportExitCode } from '../../report/exit-code';
import { renderReport, renderStepLine, reportJson } from '../../report/render-text';
import { TASK_QUEUE, workflowUiLink } from '../../temporal/config';
import { cliTaskQueue } from '../../temporal/owners';
import { drillClient } from '../../temporal/client';
import { connectTemporal } from '../../temporal/dev-server';
import { followDrill } from '../../temporal/drill-runner';
import { executeRetry, planRetry } from '../../temporal/retry';
import { createOutput } from '../output';
import { externalWorker, inProcessWorker } from '../../temporal/in-process-worker';

export const RETRY_HELP = `lab retry <workflowId> [--from-start] [--json]
  Runs a failed drill again. From the failed step (a Temporal reset to just before it; the earlier
  steps' results are kept) when the lab outlived the failure: a drill run with --keep, a schedule,
  or a target. From the start, with the same input, when the drill removed its own lab on failure,
  or with --from-start. Says which it did.`;

export async function retryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'from-start': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const out = createOutput(!!values.json);
  const workflowId = positionals[0];
  if (!workflowId) throw new InvalidInputError('no workflow id given', 'run `npx lab retry <workflowId>`');
  const connection = await connectTemporal(out.progress);
  try {
    const client = drillClient(connection);
    const plan = await planRetry(client, workflowId, !!values['from-start']);
    // A reset continues on the drill's own task queue; a new drill gets this CLI's.
    const taskQueue = plan.mode === 'from-failed-step' ? plan.taskQueue : externalWorker() ? TASK_QUEUE : cliTaskQueue();
    const worker = await inProcessWorker(taskQueue);
    const started = await executeRetry(client, workflowId, plan, { taskQueue });
    process.stderr.write(
      `retrying ${workflowId} ${plan.mode === 'from-failed-step' ? `from the failed step ${plan.failedStep}` : 'from the start'}: ${plan.reason}\n`,
    );
    const handle = client.workflow.getHandle(started.workflowId, started.runId);
    const run = await followDrill(handle, {
      workflowId: started.workflowId,
      worker,
      onStep: (s) => out.progress(renderStepLine(s)),
      onProgress: out.live,
    });
    const retry = {
      mode: plan.mode,
      reason: plan.reason,
      failedStep: plan.failedStep,
      workflowId: started.workflowId,
      runId: started.runId,
    };
    if (!run.report) {
      out.result({ verdict: 'failed', retry, error: run.error });
      return exitCodeForFailure(run.error?.type);
    }
    out.text(`\n${renderReport(run.report)}\n\nTemporal UI: ${workflowUiLink(started.workflowId)}`);
    out.result(reportJson(run.report, { retry, temporalUi: workflowUiLink(started.workflowId) }));
    return reportExitCode(run.report);
  } finally {
    await connection.close();
  }
}
