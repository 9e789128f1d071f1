import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { labStatus } from '../../lab/status';
import { drillClient } from '../../temporal/client';
import { temporalSettings } from '../../temporal/config';
import { tryConnect } from '../../temporal/dev-server';
import { recentDrills, type DrillSummary } from '../../temporal/recent-drills';
import { listSchedules, type ScheduleSummary } from '../../temporal/schedules';
import { LAB_ID_FLAGS_HELP, LAB_ID_OPTIONS, labIdFromFlags } from '../lab-flags';
import { createOutput } from '../output';
import { renderTable } from '../table';
import { noWorkerWarning } from '../../temporal/owners';

export const STATUS_HELP = `lab status [--lab-id ID] [--json]
  The lab (every component probed once through its own API), the last drills with their verdicts,
  and the schedules. Exit code 0 when the lab is up and healthy, 1 otherwise.
${LAB_ID_FLAGS_HELP}`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: LAB_ID_OPTIONS });
  const out = createOutput(!!values.json);
  const labId = labIdFromFlags(values);
  const docker = await connectDocker();
  const s = await labStatus(docker, labId);
  if (s.state === 'down') out.text(`lab "${labId}" is down (no containers)`);
  else {
    out.text(`lab "${labId}" (${s.topology?.name}${s.topology ? `, Kafka ${s.topology.kafkaVersion}` : ''}): ${s.state}`);
    out.text(
      renderTable(
        ['component', 'endpoint', 'health', 'detail'],
        s.components.map((c) => [c.component, c.endpoint, c.health, c.detail ?? '']),
      ),
    );
  }
  const temporal = await temporalSummary();
  if (temporal.error) out.text(`\nTemporal: ${temporal.error}`);
  else {
    out.text(
      `\nlast drills:\n${
        temporal.drills.length
          ? renderTable(
              ['workflow id', 'status', 'verdict', 'topology', 'target', 'started'],
              temporal.drills.map((d) => [d.workflowId, d.status, d.verdict ?? '', d.topology ?? '', d.target ?? '', d.startTime]),
            )
          : 'none'
      }`,
    );
    if (temporal.workerWarning) out.text(`\n${temporal.workerWarning}`);
    out.text(
      `\nschedules:\n${
        temporal.schedules.length
          ? renderTable(
              ['name', 'cron', 'paused', 'next run'],
              temporal.schedules.map((x) => [x.name, x.cron, x.paused ? 'yes' : 'no', x.nextRuns[0] ?? '']),
            )
          : 'none'
      }`,
    );
  }
  out.result({
    ...s,
    drills: temporal.drills,
    schedules: temporal.schedules,
    temporal: temporal.error ?? 'ok',
    workerPolling: !temporal.workerWarning,
  });
  return s.state === 'up' ? 0 : 1;
}

/** Drills and schedules, when a Temporal server answers; `status` never starts one. */
async function temporalSummary(): Promise<{
  drills: DrillSummary[];
  schedules: ScheduleSummary[];
  error?: string;
  workerWarning?: string;
}> {
  const connection = await tryConnect();
  if (!connection) {
    const s = temporalSettings();
    const hint = s.configured ? `set by ${s.origin}` : 'drills start the dev server';
    return { drills: [], schedules: [], error: `no server answers at ${s.connection.address} (${hint})` };
  }
  try {
    const client = drillClient(connection);
    return { drills: await recentDrills(client), schedules: await listSchedules(client), workerWarning: await noWorkerWarning(client) };
  } finally {
    await connection.close();
  }
}
