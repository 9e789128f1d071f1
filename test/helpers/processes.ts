import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runLab, type CliRun } from './cli';

const ROOT = resolve(__dirname, '../..');

/** A standalone worker process (`npm run worker`), as a user runs it, with extra environment. */
export function startWorker(env: Record<string, string>, script = 'workers/main.ts'): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', resolve(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', process.env.LAB_TEST_VERBOSE ? 'inherit' : 'ignore'],
  });
}

/** SIGKILL: the process gets no chance to finish or hand anything back. */
export function killHard(p: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (p.exitCode !== null || p.signalCode !== null) return r();
    p.once('exit', () => r());
    p.kill('SIGKILL');
  });
}

/** `lab drill ...` in the background: `done` settles when the CLI exits; `cli` is its process. */
export function startDrill(args: string[], env: Record<string, string>): { done: Promise<CliRun>; cli: ChildProcess } {
  let cli: ChildProcess | undefined;
  const done = runLab(['drill', ...args], env, 900_000, (c) => (cli = c));
  return { done, cli: cli! };
}

/** The running Temporal dev server's pid and command line (to stop it and start it again as it was). */
export function devServerProcess(): { pid: number; argv: string[] } | undefined {
  const { execSync } = require('node:child_process') as typeof import('node:child_process');
  const pids = execSync('pgrep -f "temporal server start-dev" || true', { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // gone already (pgrep's own shell matches the pattern too)
    }
    if (argv[0]?.endsWith('temporal') && argv.includes('start-dev') && argv.includes('--db-filename')) return { pid, argv };
  }
  return undefined;
}
