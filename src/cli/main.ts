import { InvalidInputError } from '../errors';
import { downCommand, DOWN_HELP } from './commands/down';
import { drillCommand, DRILL_HELP } from './commands/drill';
import { experimentCommand, EXPERIMENT_HELP } from './commands/experiment';
import { imagesCommand, IMAGES_HELP } from './commands/images';
import { matrixCommand, MATRIX_HELP } from './commands/matrix';
import { reportCommand, REPORT_HELP } from './commands/report';
import { retryCommand, RETRY_HELP } from './commands/retry';
import { scheduleCommand, SCHEDULE_HELP } from './commands/schedule';
import { statusCommand, STATUS_HELP } from './commands/status';
import { trendCommand, TREND_HELP } from './commands/trend';
import { upCommand, UP_HELP } from './commands/up';
import { createOutput, reportError } from './output';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  images: { run: imagesCommand, help: IMAGES_HELP },
  up: { run: upCommand, help: UP_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  down: { run: downCommand, help: DOWN_HELP },
  drill: { run: drillCommand, help: DRILL_HELP },
  experiment: { run: experimentCommand, help: EXPERIMENT_HELP },
  matrix: { run: matrixCommand, help: MATRIX_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  retry: { run: retryCommand, help: RETRY_HELP },
  schedule: { run: scheduleCommand, help: SCHEDULE_HELP },
  trend: { run: trendCommand, help: TREND_HELP },
};

const HELP = [
  'usage:',
  DRILL_HELP,
  EXPERIMENT_HELP,
  MATRIX_HELP,
  REPORT_HELP,
  RETRY_HELP,
  SCHEDULE_HELP,
  TREND_HELP,
  IMAGES_HELP,
  UP_HELP,
  STATUS_HELP,
  DOWN_HELP,
].join('\n\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stderr.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command)
    throw new InvalidInputError(`unknown command "${name}"`, `run \`npx lab help\`; commands: ${Object.keys(COMMANDS).join(', ')}`);
  // Every command and subcommand answers --help, before any flag is checked or service is touched.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stderr.write(`usage: ${command.help}\n`);
    return 0;
  }
  return command.run(rest);
}

const argv = process.argv.slice(2);
// The command's output is written by then (stdout and stderr are synchronous on Linux); exiting
// explicitly means a call still pending (a last progress query, a gRPC channel) cannot hold the
// CLI open after its drill ended.
main(argv).then(
  (code) => process.exit(code),
  (e) => {
    // parseArgs throws TypeError with code ERR_PARSE_ARGS_*: a usage error
    const usage = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const err = usage ? new InvalidInputError((e as Error).message, 'run `npx lab help`') : e;
    process.exit(reportError(createOutput(argv.includes('--json')), err));
  },
);
