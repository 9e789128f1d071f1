import type { Accounting } from '../../domain/report';
import { runDrillChild } from '../drill-child';
import { parseArgs } from 'node:util';
import { isInputProblem } from '../../domain/input-problem';
import { resolveDrillInput } from '../../domain/resolve-drill-input';
import { matrixRuns, MATRIX_PORT_STEP, type MatrixRun } from '../../domain/kafka-matrix';
import { ExitCode, InvalidInputError } from '../../errors';
import { checkFaultsCanRun } from '../../lab/faults';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { createOutput } from '../output';
import { kafkaVersionList, MatrixOptions } from '../run-options';
import { renderTable } from '../table';

const OPTIONS = flagSpecs(MatrixOptions);
/** The matrix sets these per version; the user's --lab-id and --port-offset are the bases. */
const PER_RUN_FLAGS = ['--kafka-versions', '--lab-id', '--port-offset', '--json'];

export const MATRIX_HELP = `lab matrix [--kafka-versions V,V...] [--json] [drill flags]
  Runs the drill once per Kafka version, one after the other, each on a lab of its own
  (lab id <lab-id>-k<version digits>, default matrix-k391...; port offset +${MATRIX_PORT_STEP} per version),
  and prints one verdict per version with each step's duration. Exit 0 when every version passed,
  1 when a verdict failed, 3 or 4 when a drill could not run. Nightly: \`lab schedule create --matrix\`.
${flagHelp(OPTIONS)}
  Drill flags (--kafka-version and --target are the matrix's own):
${DRILL_FLAGS_HELP}`;

interface StepTime {
  name: string;
  verdict: string;
  durationMs: number;
}

export interface MatrixResult extends MatrixRun {
  verdict: string;
  code: number;
  drillId?: string;
  failedStep?: string;
  accounting?: Pick<Accounting, 'produced' | 'mirrored' | 'indexed' | 'lost' | 'duplicated' | 'reordered' | 'altered'>;
  steps: StepTime[];
  error?: string;
}

export async function matrixCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(OPTIONS) } });
  const o = parseFlags(MatrixOptions, v);
  const given = drillInputFromFlags(v);
  if (given.target || v['kafka-version'] !== undefined) {
    throw new InvalidInputError(
      'the matrix sets --kafka-version itself and drills labs only',
      'use --kafka-versions V,V and leave out --target',
    );
  }
  const runs = matrixRuns({
    labId: given.labId,
    portOffset: given.portOffset,
    kafkaVersions: kafkaVersionList(o.kafkaVersions),
  });
  // Every version's input is checked before the first drill runs (an unknown version: exit 2, one line).
  for (const r of runs) {
    const c = resolveDrillInput({ ...given, kafkaVersion: r.kafkaVersion, labId: r.labId, portOffset: r.portOffset });
    if (isInputProblem(c)) throw new InvalidInputError(c.problem, c.fix);
    checkFaultsCanRun(c);
  }
  const out = createOutput(o.json);
  const passThrough = withoutFlags(argv, PER_RUN_FLAGS);
  const results: MatrixResult[] = [];
  for (const [i, r] of runs.entries()) {
    out.progress(`Kafka ${r.kafkaVersion} (${i + 1}/${runs.length}): lab ${r.labId}, port offset ${r.portOffset}`);
    const args = [...passThrough, '--kafka-version', r.kafkaVersion, '--lab-id', r.labId, '--port-offset', String(r.portOffset), '--json'];
    const result: MatrixResult = { ...r, ...(await drill(args)) };
    out.progress(`Kafka ${r.kafkaVersion}: ${verdictLine(result)}`);
    results.push(result);
  }
  out.text(`\n${renderMatrix(results)}`);
  const verdict = results.every((r) => r.verdict === 'passed') ? 'passed' : 'failed';
  out.result({ matrix: 'kafka-versions', verdict, versions: results });
  const notRun = results.find((r) => r.error && r.code !== ExitCode.VerdictFailed);
  if (notRun) return notRun.code > 0 ? notRun.code : ExitCode.Internal;
  return verdict === 'passed' ? ExitCode.Ok : ExitCode.VerdictFailed;
}

const verdictLine = (r: MatrixResult) =>
  r.error
    ? `${r.verdict} (${r.error})`
    : `${r.verdict}${r.failedStep ? ` at ${r.failedStep}` : ''}, ${r.accounting?.produced ?? 0} produced, ${r.accounting?.lost ?? 0} lost`;

/** One verdict per version, then each step's duration per version side by side. */
export function renderMatrix(results: MatrixResult[]): string {
  const verdicts = renderTable(
    ['Kafka', 'lab', 'verdict', 'produced', 'mirrored', 'indexed', 'lost', 'duplicated', 'reordered', 'drill'],
    results.map((r) => [
      r.kafkaVersion,
      r.labId,
      r.error ? `${r.verdict}: ${r.error}` : r.failedStep ? `${r.verdict} at ${r.failedStep}` : r.verdict,
      r.accounting?.produced ?? '-',
      r.accounting?.mirrored ?? '-',
      r.accounting?.indexed ?? '-',
      r.accounting?.lost ?? '-',
      r.accounting?.duplicated ?? '-',
      r.accounting?.reordered ?? '-',
      r.drillId ?? '-',
    ]),
  );
  const names = [...new Set(results.flatMap((r) => r.steps.map((s) => s.name)))];
  const seconds = (r: MatrixResult, name: string) => {
    const s = r.steps.find((x) => x.name === name);
    return s ? `${(s.durationMs / 1000).toFixed(1)}${s.verdict === 'passed' ? '' : ` ${s.verdict}`}` : '-';
  };
  const steps = renderTable(
    ['step (s)', ...results.map((r) => r.kafkaVersion)],
    names.map((n) => [n, ...results.map((r) => seconds(r, n))]),
  );
  return `${verdicts}\n\n${steps}`;
}

/** argv without the given flags and their values (the matrix sets them per version). */
function withoutFlags(argv: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (!flags.includes(flag)) out.push(argv[i]);
    else if (inline === undefined && flag !== '--json') i++;
  }
  return out;
}

/** One drill through this CLI: its verdict and step times. */
async function drill(args: string[]): Promise<Omit<MatrixResult, keyof MatrixRun>> {
  const { code, report: r } = await runDrillChild(args);
  if (!r) return { verdict: 'failed', code, steps: [], error: `no report (exit ${code})` };
  return {
    verdict: r.verdict,
    code,
    drillId: r.drillId,
    failedStep: r.failedStep,
    accounting: r.accounting,
    steps: (r.steps ?? []).map((s: StepTime) => ({ name: s.name, verdict: s.verdict, durationMs: s.durationMs })),
    error: r.accounting ? undefined : (r.error?.message ?? `no report (exit ${code})`),
  };
}
