import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * One `lab drill --json` through this CLI, in a process of its own (Ctrl-C reaches it too): its
 * exit code and its JSON report, undefined when it printed none. The experiment and the matrix
 * run their drills this way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the drill's --json document, read field by field by each caller
export function runDrillChild(args: string[]): Promise<{ code: number; report?: Record<string, any> }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(__dirname, '../../bin/lab.js'), 'drill', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code) => {
      try {
        done({ code: code ?? -1, report: JSON.parse(stdout) });
      } catch {
        done({ code: code ?? -1 });
      }
    });
  });
}
