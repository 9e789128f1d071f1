import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../../errors';
import { reportExitCode } from '../../report/exit-code';
import { renderHtmlReport } from '../../report/render-html';
import { renderReport, reportJson } from '../../report/render-text';
import { workflowUiLink } from '../../temporal/config';
import { drillClient, fetchReport } from '../../temporal/client';
import { connectTemporal } from '../../temporal/dev-server';
import { createOutput } from '../output';

export const REPORT_HELP = `lab report <workflowId> [--html FILE] [--json]
  Renders a finished drill's stored report: the steps, the message accounting, replication latency
  (a chart in the HTML, which opens from a file) and the metric checks.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { html: { type: 'string' }, json: { type: 'boolean' } },
  });
  const out = createOutput(!!values.json);
  const workflowId = positionals[0];
  if (!workflowId) throw new InvalidInputError('no workflow id given', 'run `npx lab report <workflowId>`');
  const connection = await connectTemporal(out.progress);
  try {
    const { status, report } = await fetchReport(drillClient(connection), workflowId);
    if (!report) {
      throw new InvalidInputError(
        `drill ${workflowId} has no report (status ${status})`,
        status === 'RUNNING' ? 'wait until it ends' : 'it failed before it started; see the Temporal UI',
      );
    }
    const link = workflowUiLink(workflowId);
    if (values.html) {
      writeFileSync(values.html, renderHtmlReport(report, { temporalUi: link }));
      out.progress(`wrote ${values.html}`);
    }
    out.text(renderReport(report));
    out.result(reportJson(report, { temporalUi: link, status }));
    return reportExitCode(report);
  } finally {
    await connection.close();
  }
}
