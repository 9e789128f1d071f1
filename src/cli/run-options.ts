import { z } from 'zod';
import { SUPPORTED_KAFKA_VERSIONS } from '../domain/versions';
import { cli } from '../domain/field-meta';
import { DEFAULT_DRILL_TIMEOUT_MINUTES } from '../temporal/config';

/** How the CLI runs things, beside the drill's input: declared once, like the input. */
export const JsonOption = z
  .boolean()
  .default(false)
  .describe('one JSON document on stdout; progress stays on stderr')
  .meta(cli({ flag: 'json' }));
const timeout = z
  .number()
  .positive()
  .default(DEFAULT_DRILL_TIMEOUT_MINUTES)
  .describe('minutes a drill may run, waiting for a worker included')
  .meta(cli({ flag: 'timeout', fix: 'give --timeout MINUTES, e.g. 120' }));

/** The versions of a Kafka version matrix (`lab matrix`, `lab schedule create --matrix`). */
const kafkaVersions = z
  .string()
  .optional()
  .describe(`comma-separated Kafka versions to drill, in order (default all: ${SUPPORTED_KAFKA_VERSIONS.join(',')})`)
  .meta(cli({ flag: 'kafka-versions' }));

/** `--kafka-versions a,b` as a list (undefined: every supported version). */
export const kafkaVersionList = (flag: string | undefined) =>
  flag
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export const DrillRunOptions = z.strictObject({
  json: JsonOption,
  workflowId: z
    .string()
    .optional()
    .describe("the drill's workflow id (default drill-<topology>-<time>)")
    .meta(cli({ flag: 'workflow-id' })),
  timeout,
});

export const ScheduleOptions = z.strictObject({
  name: z
    .string()
    .optional()
    .describe('the schedule (also given as the argument after the subcommand)')
    .meta(cli({ flag: 'name' })),
  cron: z
    .string()
    .optional()
    .describe('when, as a 5-field cron expression, e.g. "0 2 * * *"')
    .meta(cli({ flag: 'cron' })),
  timezone: z
    .string()
    .optional()
    .describe("the cron expression's time zone, e.g. Europe/Berlin (default UTC)")
    .meta(cli({ flag: 'timezone' })),
  note: z
    .string()
    .optional()
    .describe('a note kept with the schedule (and with pause/unpause)')
    .meta(cli({ flag: 'note' })),
  noKeep: z
    .boolean()
    .default(false)
    .describe('tear the lab down after each scheduled run (default: keep it)')
    .meta(cli({ flag: 'no-keep' })),
  matrix: z
    .boolean()
    .default(false)
    .describe('schedule the Kafka version matrix: the drill once per version (--kafka-versions), one verdict each')
    .meta(cli({ flag: 'matrix' })),
  kafkaVersions,
  timeout,
  json: JsonOption,
});

export const ExperimentOptions = z.strictObject({
  json: JsonOption,
  trials: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(2)
    .describe('drills per placement')
    .meta(cli({ flag: 'trials', fix: 'give 1 to 20 trials' })),
});

export const MatrixOptions = z.strictObject({ json: JsonOption, kafkaVersions });
