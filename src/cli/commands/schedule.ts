import { parseArgs } from 'node:util';
import { DEFAULT_KAFKA_VERSION } from '../../../infra/images';
import { InvalidInputError } from '../../errors';
import { drillClient } from '../../temporal/client';
import { connectTemporal } from '../../temporal/dev-server';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
} from '../../temporal/schedules';
import { createOutput } from '../output';
import { renderTable } from '../table';
import { noWorkerWarning } from '../../temporal/owners';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { kafkaVersionList, ScheduleOptions } from '../run-options';

const SCHEDULE_FLAGS = flagSpecs(ScheduleOptions);

export const SCHEDULE_HELP = `lab schedule create --name N --cron EXPR [flags, drill flags, e.g. --topology chapter --lab-id nightly]
lab schedule create --name N --cron EXPR --matrix [--kafka-versions V,V] [drill flags]: the drill once per Kafka version
lab schedule list [--json] | trigger N | pause N | unpause N | delete N
  Nightly verification with Temporal Schedules: overlapping runs are skipped, and scheduled drills
  keep their lab (--no-keep to tear it down after each run). Scheduled drills run on whatever worker
  serves task queue kafka-lab-v3: keep \`npm run worker\` running. create and trigger warn when no
  worker polls it; a drill that waits longer than --timeout for a worker ends timed out with
  LabVerdict "no worker".
  Schedule flags:
${flagHelp(SCHEDULE_FLAGS)}
  Drill flags (see \`lab drill --help\`):
${DRILL_FLAGS_HELP}`;

export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(SCHEDULE_FLAGS) },
  });
  const out = createOutput(!!v.json);
  const o = parseFlags(ScheduleOptions, v);
  const [sub, arg] = positionals;
  const name = o.name ?? arg;
  const needName = () => {
    if (!name) throw new InvalidInputError(`schedule ${sub} needs a name`, `run \`npx lab schedule ${sub} NAME\``);
    return name;
  };
  if (!['create', 'list', 'trigger', 'pause', 'unpause', 'delete'].includes(sub ?? '')) {
    throw new InvalidInputError(`unknown schedule subcommand "${sub ?? ''}"`, 'use create, list, trigger, pause, unpause or delete');
  }
  if (sub !== 'list') needName(); // usage errors before any connection
  if (sub === 'create' && !o.cron) throw new InvalidInputError('schedule create needs --cron', 'e.g. --cron "0 2 * * *"');
  if (o.kafkaVersions !== undefined && !o.matrix)
    throw new InvalidInputError('--kafka-versions belongs to a matrix', 'add --matrix, or give --kafka-version V for one drill');
  if (o.matrix && v['kafka-version'] !== undefined)
    throw new InvalidInputError('the matrix sets --kafka-version itself', 'use --kafka-versions V,V with --matrix');
  const connection = await connectTemporal(out.progress);
  const client = drillClient(connection);
  try {
    switch (sub) {
      case 'create': {
        const input = { ...drillInputFromFlags(v), ...(o.noKeep ? { keepLab: false } : {}) };
        await createSchedule(client, {
          name: needName(),
          cron: o.cron!,
          timezone: o.timezone,
          input,
          note: o.note,
          timeoutMinutes: o.timeout,
          ...(o.matrix ? { matrix: { kafkaVersions: kafkaVersionList(o.kafkaVersions) } } : {}),
        });
        const s = await describeSchedule(client, needName());
        out.text(`schedule "${s.name}" created: ${s.cron}${s.timezone ? ` (${s.timezone})` : ''}, next runs ${s.nextRuns.join(', ')}`);
        const warning = await noWorkerWarning(client);
        if (warning) process.stderr.write(`${warning}\n`);
        out.result({ status: 'ok', schedule: s, workerPolling: !warning });
        return 0;
      }
      case 'list': {
        const all = await listSchedules(client);
        out.text(
          all.length
            ? renderTable(
                ['name', 'what', 'cron', 'timezone', 'paused', 'next run', 'last run'],
                all.map((s) => [
                  s.name,
                  s.matrix ? `matrix ${s.matrix.kafkaVersions.join(',')}` : `drill Kafka ${s.input.kafkaVersion ?? DEFAULT_KAFKA_VERSION}`,
                  s.cron,
                  s.timezone ?? 'UTC',
                  s.paused ? 'yes' : 'no',
                  s.nextRuns[0] ?? '',
                  s.recent.at(-1)?.workflowId ?? '',
                ]),
              )
            : 'no schedules',
        );
        out.result({ status: 'ok', schedules: all });
        return 0;
      }
      case 'trigger': {
        await triggerSchedule(client, needName());
        const warning = await noWorkerWarning(client);
        if (warning) process.stderr.write(`${warning}\n`);
        out.text(`schedule "${name}": trigger done`);
        out.result({ status: 'ok', schedule: name, action: sub, workerPolling: !warning });
        return 0;
      }
      case 'pause':
        await pauseSchedule(client, needName(), o.note);
        break;
      case 'unpause':
        await unpauseSchedule(client, needName(), o.note);
        break;
      case 'delete':
        await deleteSchedule(client, needName());
        break;
    }
    out.text(`schedule "${name}": ${sub} done`);
    out.result({ status: 'ok', schedule: name, action: sub });
    return 0;
  } finally {
    await connection.close();
  }
}
