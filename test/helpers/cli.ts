import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = resolve(__dirname, '../../bin/lab.js');

/** Runs the real `lab` CLI as a user would, with extra environment. */
export function runLab(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 600_000,
  onChild?: (c: ChildProcess) => void,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    onChild?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[test] lab ${args[0]} killed after ${timeoutMs / 1000} s\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * What a `--json` run printed on stdout. When it printed no JSON (it crashed, or was killed at its
 * timeout) the error says so with the end of its stderr: the steps it got through, and where it stopped.
 */
export function jsonOf(r: CliRun) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}); stderr ends:\n${r.stderr.slice(-3000)}`);
  }
}
