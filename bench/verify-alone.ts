/**
 * The verifier on its own, in a process of its own, so its resident memory is the verifier's and
 * not the worker's (which also ran the producer): verifies a finished drill again on its kept lab
 * and prints one JSON line with the accounting, the time it took and the process's peak memory.
 * Used by bench/scale-drill.ts; input: BENCH_VERIFY (JSON: the drill's resolved config, run id, start time, ranges).
 */
import { readFileSync } from 'node:fs';
import { asyncLocalStorage, Context, type Info } from '@temporalio/activity';
import { verifyDelivery } from '../activities/verify';
import type { VerifyOutput } from '../src/contracts/verify';
import type { SeqRange } from '../src/domain/accounting';
import { drillTopology } from '../src/domain/drill-lab';
import type { DrillConfig } from '../src/domain/drill-input';
import { isTopologyProblem } from '../src/domain/resolve-topology';
import { stepInputs } from '../src/drill/step-inputs';
import { planLab } from '../src/lab/plan';

async function main() {
  const job = JSON.parse(process.env.BENCH_VERIFY!) as { config: DrillConfig; runId: string; sinceMs: number; ranges: SeqRange[] };
  const c = job.config;
  const t = drillTopology(c);
  if (isTopologyProblem(t)) throw new Error(t.problem);
  const input = stepInputs(c, planLab(t).endpoints, job.runId).verify('verify-v1', job.ranges, job.sinceMs);
  const started = Date.now();
  // A bare activity context (not @temporalio/testing, whose worker would weigh more than the verifier).
  const ctx = new Context(
    { attempt: 1, heartbeatDetails: undefined } as Info,
    new Promise<never>(() => undefined),
    new AbortController().signal,
    () => undefined,
    undefined,
    {
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
      log: () => undefined,
    },
    undefined as never,
    undefined as never,
  );
  const out: VerifyOutput = await asyncLocalStorage.run(ctx, () => verifyDelivery({ ...input, deadlineSeconds: 600 }));
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
  process.stdout.write(
    `${JSON.stringify({ accounting: out.accounting, problems: out.problems, seconds: (Date.now() - started) / 1000, peakRssBytes: hwm, stateBytes: out.memory.stateBytes })}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`verify-alone failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
