import { isLabError, ExitCode } from '../errors';
import { progressBar, progressLine, type StepProgress } from '../domain/step-progress';

/** Without a terminal (CI logs, pipes) a running step's progress is a plain line at most this often. */
const PLAIN_PROGRESS_MS = 15_000;

/** Progress and human text go to stderr; with --json, stdout carries exactly one JSON document. */
export interface Output {
  json: boolean;
  progress(line: string): void;
  /** How far a long step has got: a bar redrawn in place on a terminal, a plain line now and then otherwise. */
  live(p: StepProgress): void;
  /** Human rendering, printed only without --json. */
  text(line: string): void;
  result(doc: unknown): void;
}

export function createOutput(json: boolean): Output {
  const tty = !!process.stderr.isTTY && !process.env.CI;
  let drawn = false;
  let plainAt = 0;
  // a bar still on the line is cleared before anything else is written there
  const clear = () => {
    if (drawn) process.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    json,
    progress: (line) => {
      clear();
      process.stderr.write(`${tty ? '\x1b[2m' : ''}· ${line}${tty ? '\x1b[0m' : ''}\n`);
    },
    live: (p) => {
      if (tty) {
        clear();
        process.stderr.write(`\x1b[2m· ${progressBar(p)} ${progressLine(p)}\x1b[0m`);
        drawn = true;
      } else if (p.at - plainAt >= PLAIN_PROGRESS_MS) {
        plainAt = p.at;
        process.stderr.write(`· ${progressLine(p)}\n`);
      }
    },
    text: (line) => {
      clear();
      if (!json) process.stderr.write(`${line}\n`);
    },
    result: (doc) => {
      if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    },
  };
}

/** Prints an error as one line (and as JSON with --json) and returns the exit code it means. */
export function reportError(out: Output, e: unknown): number {
  if (isLabError(e)) {
    process.stderr.write(`error: ${e.oneLine()}\n`);
    out.result({ status: 'error', error: { type: e.type, message: e.message, fix: e.fix } });
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.message : String(e);
  // A Temporal server that stopped answering mid-command (gRPC UNAVAILABLE) is a service, not a bug.
  if ((e as { code?: number }).code === 14) {
    process.stderr.write(
      `error: Temporal stopped answering: ${msg} (fix: check the server, then follow the drill with \`npx lab report <id>\`)\n`,
    );
    out.result({ status: 'error', error: { type: 'TemporalUnreachable', message: msg } });
    return ExitCode.Unreachable;
  }
  process.stderr.write(`error: unexpected: ${msg} (fix: this is a bug; LAB_DEBUG=1 shows the stack)\n`);
  if (process.env.LAB_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  out.result({ status: 'error', error: { type: 'Unexpected', message: msg } });
  return ExitCode.Internal;
}
