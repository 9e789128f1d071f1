import { InvalidInputError } from '../errors';
import { downCommand, DOWN_HELP } from './commands/down';
import { drillCommand, DRILL_HELP } from './commands/drill';
import { imagesCommand, IMAGES_HELP } from './commands/images';
import { reportCommand, REPORT_HELP } from './commands/report';
import { retryCommand, RETRY_HELP } from './commands/retry';
import { scheduleCommand, SCHEDULE_HELP } from './commands/schedule';
import { statusCommand, STATUS_HELP } from './commands/status';
import { upCommand, UP_HELP } from './commands/up';
import { createOutput, reportError } from './output';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  images: imagesCommand,
  up: upCommand,
  status: statusCommand,
  down: downCommand,
  drill: drillCommand,
  report: reportCommand,
  retry: retryCommand,
  schedule: scheduleCommand,
};

const HELP = ['usage:', DRILL_HELP, REPORT_HELP, RETRY_HELP, SCHEDULE_HELP, IMAGES_HELP, UP_HELP, STATUS_HELP, DOWN_HELP].join('\n\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stderr.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new InvalidInputError(`unknown command "${name}"`, `run \`npx lab help\`; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command(rest);
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
