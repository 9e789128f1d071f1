import { runDrillChild } from '../drill-child';
import type { CatchUpFigures } from '../../domain/catch-up';
import { parseArgs } from 'node:util';
import { isInputProblem } from '../../domain/input-problem';
import { resolveDrillInput } from '../../domain/resolve-drill-input';
import type { DrillInput } from '../../domain/drill-input';
import type { LatencyFigures } from '../../domain/report';
import { ExitCode, InvalidInputError } from '../../errors';
import { checkFaultsCanRun } from '../../lab/faults';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { createOutput } from '../output';
import { ExperimentOptions } from '../run-options';
import { renderTable } from '../table';

const OPTIONS = flagSpecs(ExperimentOptions);
const PLACEMENTS = ['downstream', 'upstream'] as const;
/** Without --fault: a cut of the link and a killed Connect worker, the two faults placement is about. */
const DEFAULT_FAULTS = ['link-cut:30', 'connect-kill:15'];

export const EXPERIMENT_HELP = `lab experiment placement [--trials N] [--json] [drill flags]
  Runs the same fault drill with Kafka Connect (MirrorMaker 2) next to the downstream cluster and
  next to the upstream one, --trials times each, each on a fresh lab, and prints per placement and
  trial: messages lost, duplicated and reordered, and replication latency during the faults and
  after them. Without --fault: ${DEFAULT_FAULTS.join(' and ')}. A drill that loses messages is a
  finding, not an error: exit 0 when every drill ran, 3 or 4 when one could not.
${flagHelp(OPTIONS)}
  Drill flags (--connect-placement and --target are the experiment's own):
${DRILL_FLAGS_HELP}`;

interface Trial {
  placement: string;
  trial: number;
  verdict: string;
  code: number;
  accounting?: { produced: number; lost: number; duplicated: number; reordered: number };
  latencyByPhase?: { during: LatencyFigures; after: LatencyFigures };
  catchUp?: CatchUpFigures;
  error?: string;
}

export async function experimentCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'placement') throw new InvalidInputError(`unknown experiment "${what ?? ''}"`, 'run `npx lab experiment placement`');
  const { values: v } = parseArgs({ args: rest, options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(OPTIONS) } });
  const o = parseFlags(ExperimentOptions, v);
  const given = drillInputFromFlags(v);
  if (given.target || given.connectPlacement) {
    throw new InvalidInputError(
      'the placement experiment sets --connect-placement itself and drills labs only',
      'leave out --connect-placement and --target',
    );
  }
  const faultArgs = (v.fault as string[] | undefined)?.length ? [] : DEFAULT_FAULTS.flatMap((f) => ['--fault', f]);
  const input: DrillInput = faultArgs.length ? drillInputFromFlags({ ...v, fault: DEFAULT_FAULTS }) : given;
  // Every trial's input is checked before the first one runs.
  for (const connectPlacement of PLACEMENTS) {
    const c = resolveDrillInput({ ...input, connectPlacement, labId: `exp-${connectPlacement}` });
    if (isInputProblem(c)) throw new InvalidInputError(c.problem, c.fix);
    checkFaultsCanRun(c);
  }
  const out = createOutput(o.json);
  const trials: Trial[] = [];
  for (const placement of PLACEMENTS) {
    for (let trial = 1; trial <= o.trials; trial++) {
      out.progress(`placement ${placement}, trial ${trial}/${o.trials}`);
      const args = [
        ...rest.filter((a) => a !== '--json'),
        ...faultArgs,
        '--connect-placement',
        placement,
        '--lab-id',
        `exp-${placement}`,
        '--json',
      ];
      trials.push({ placement, trial, ...(await drill(stripOwn(args))) });
    }
  }
  out.text(
    `\n${renderTable(
      [
        'placement',
        'trial',
        'verdict',
        'produced',
        'lost',
        'duplicated',
        'reordered',
        'during faults p50/p99/max ms',
        'after p50/p99/max ms',
        'caught up after s',
        'mirror msg/s catching up',
      ],
      trials.map((t) => [
        t.placement,
        t.trial,
        t.error ? `error: ${t.error}` : t.verdict,
        t.accounting?.produced ?? '-',
        t.accounting?.lost ?? '-',
        t.accounting?.duplicated ?? '-',
        t.accounting?.reordered ?? '-',
        figures(t.latencyByPhase?.during),
        figures(t.latencyByPhase?.after),
        t.catchUp?.seconds ?? '-',
        t.catchUp?.perSecond ?? '-',
      ]),
    )}`,
  );
  out.result({ experiment: 'placement', trials });
  return trials.some((t) => t.error) ? ExitCode.Unreachable : ExitCode.Ok;
}

const figures = (l?: LatencyFigures) => (l && l.count ? `${l.p50Ms}/${l.p99Ms}/${l.maxMs}` : '-');

/** The experiment's own flags are not the drill's. */
function stripOwn(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--trials') i++;
    else out.push(args[i]);
  }
  return out;
}

/** One drill through this CLI: its report. */
async function drill(args: string[]): Promise<Omit<Trial, 'placement' | 'trial'>> {
  const { code, report: r } = await runDrillChild(args);
  if (!r) return { verdict: 'failed', code, error: `no report (exit ${code})` };
  const error = r.accounting ? undefined : (r.error?.message ?? `no report (exit ${code})`);
  return { verdict: r.verdict, code, accounting: r.accounting, latencyByPhase: r.latencyByPhase, catchUp: r.catchUp, error };
}
