import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cli, type FieldCli } from '../../domain/field-meta';
import { LabSettingsSchema } from '../../domain/lab-settings';
import { renderHtmlTrend, renderTrend, trendJson, trendRows } from '../../report/trend';
import { drillClient } from '../../temporal/client';
import { connectTemporal } from '../../temporal/dev-server';
import { trendDrills } from '../../temporal/trend';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { createOutput } from '../output';
import { JsonOption } from '../run-options';

const labId = LabSettingsSchema.shape.labId;
const TrendOptions = z.strictObject({
  schedule: z
    .string()
    .min(1)
    .optional()
    .describe('only the drills this schedule started (the --name given to `lab schedule create`)')
    .meta(cli({ flag: 'schedule', fix: 'give the schedule name, see `npx lab schedule list`' })),
  // the lab id's own check and words, without its LAB_ID default: no flag means every lab
  labId: labId.describe('only the drills of this lab').meta(cli({ ...(labId.meta() as { cli: FieldCli }).cli, env: undefined })),
  limit: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(30)
    .describe('the newest N drills')
    .meta(cli({ flag: 'limit', fix: 'give 1 to 500 drills' })),
  html: z
    .string()
    .min(1)
    .optional()
    .describe('also write a self-contained HTML page: the table and a chart of RPO, RTO and p99 latency per drill')
    .meta(cli({ flag: 'html' })),
  json: JsonOption,
});
const TREND_FLAGS = flagSpecs(TrendOptions);

export const TREND_HELP = `lab trend [--schedule NAME] [--lab-id ID] [--limit N] [--json] [--html FILE]
  Disaster recovery over time: the drills of one schedule or one lab (default all), oldest first,
  each with its verdict, RPO (records, seconds), RTO (seconds; producers/consumers/index), and
  replication latency p50/p99, then the latest figures against the ones before. A figure a drill
  did not measure is '-' (null in JSON); a running drill has none yet. Exit 0 once listed.
${flagHelp(TREND_FLAGS)}`;

export async function trendCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: parseArgsOptions(TREND_FLAGS) });
  const o = parseFlags(TrendOptions, values);
  const out = createOutput(o.json);
  const filter = { schedule: o.schedule, labId: o.labId };
  const connection = await connectTemporal(out.progress);
  try {
    const rows = trendRows(await trendDrills(drillClient(connection), filter, o.limit));
    if (o.html) {
      writeFileSync(o.html, renderHtmlTrend(rows, filter, o.limit));
      out.progress(`wrote ${o.html}`);
    }
    out.text(renderTrend(rows, filter, o.limit));
    out.result(trendJson(rows, filter, o.limit));
    return 0;
  } finally {
    await connection.close();
  }
}
