import { parseArgs } from 'node:util';
import type { DrillSeriesRun } from '../../domain/drill-series';
import { MATRIX_PORT_STEP } from '../../domain/kafka-matrix';
import { DEFAULT_PLACEMENT_FAULTS, placementOf, placementPlan, type PlacementInput } from '../../domain/placement';
import type { LatencyFigures } from '../../domain/report';
import { ExitCode, InvalidInputError } from '../../errors';
import { seriesExitCode, seriesJson } from '../../report/series';
import { workflowUiLink } from '../../temporal/config';
import { placementExperimentWorkflow } from '../../../workflows';
import { drillInputFromFlags, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS } from '../drill-flags';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from '../flags';
import { createOutput } from '../output';
import { ExperimentOptions } from '../run-options';
import { runSeriesCommand, unfinishedJson } from '../series';
import { renderTable } from '../table';

const OPTIONS = flagSpecs(ExperimentOptions);

export const EXPERIMENT_HELP = `lab experiment placement [--trials N] [--wan-latency MS[,MS...]] [--json] [drill flags]
  Runs the same fault drill with Kafka Connect (MirrorMaker 2) next to the downstream cluster and
  next to the upstream one, --trials times each, each on a fresh lab (<lab-id>-downstream, default
  exp-downstream, and <lab-id>-upstream at port offset +${MATRIX_PORT_STEP}), as child workflows of one
  placementExperimentWorkflow (its id is printed, to open in the Temporal UI), and prints per
  placement and trial: messages lost, duplicated and reordered, and replication latency during the
  faults and after them. Without --fault: ${DEFAULT_PLACEMENT_FAULTS.join(' and ')}. A drill that
  loses messages is a finding, not an error: exit 0 when every drill ran, 2, 3 or 4 when one could not.
  --wan-latency 0ms,50ms,100ms runs every placement and trial once per standing WAN latency.
${flagHelp(OPTIONS)}
  Drill flags (--connect-placement and --target are the experiment's own):
${DRILL_FLAGS_HELP}`;

export async function experimentCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'placement') throw new InvalidInputError(`unknown experiment "${what ?? ''}"`, 'run `npx lab experiment placement`');
  const { values: v } = parseArgs({ args: rest, options: { ...DRILL_INPUT_OPTIONS, ...parseArgsOptions(OPTIONS) } });
  const o = parseFlags(ExperimentOptions, v);
  // a list of latencies compares them: each is checked as the drill's own --wan-latency
  const wanLatencies = typeof v['wan-latency'] === 'string' && v['wan-latency'].includes(',') ? v['wan-latency'].split(',') : undefined;
  for (const lat of wanLatencies ?? []) drillInputFromFlags({ 'wan-latency': lat.trim() });
  const drill = drillInputFromFlags(wanLatencies ? { ...v, 'wan-latency': undefined } : v);
  if (drill.target || drill.connectPlacement) {
    throw new InvalidInputError(
      'the placement experiment sets --connect-placement itself and drills labs only',
      'leave out --connect-placement and --target',
    );
  }
  const input: PlacementInput = { trials: o.trials, drill, ...(wanLatencies ? { wanLatencies: wanLatencies.map((l) => l.trim()) } : {}) };
  const out = createOutput(o.json);
  const { workflowId, outcome, interrupted } = await runSeriesCommand(
    { kind: 'placement', workflow: placementExperimentWorkflow, input },
    placementPlan(input),
    out,
    {
      starts: (r) => {
        const p = placementOf(r.label);
        return `placement ${p.placement}, trial ${p.trial}/${o.trials}: lab ${r.input.labId}, port offset ${r.input.portOffset ?? 0}`;
      },
      ends: (r) => `${r.label}: ${r.error ? `${r.error.type}: ${r.error.message}` : r.verdict}`,
    },
  );
  const result = outcome.result;
  if (!result) {
    process.stderr.write(`error: placement experiment ${workflowId} ended without a result: ${outcome.error?.message}\n`);
    out.result(unfinishedJson('placement', workflowId, outcome, interrupted));
    return interrupted ? ExitCode.Interrupted : ExitCode.Internal;
  }
  out.text(`\n${renderPlacement(result.runs)}\n\nTemporal UI: ${workflowUiLink(workflowId)}`);
  out.result(seriesJson(result, { workflowId, temporalUi: workflowUiLink(workflowId) }));
  return seriesExitCode(result, { verdictsAreFindings: true });
}

/** Per placement and trial: what was lost, and replication latency during the faults and after. */
export function renderPlacement(runs: DrillSeriesRun[]): string {
  return renderTable(
    [
      'placement',
      'trial',
      'verdict',
      'produced',
      'lost',
      'duplicated',
      'reordered',
      'all p50/p99 ms',
      'during faults p50/p99/max ms',
      'after p50/p99/max ms',
      'caught up after s',
      'mirror msg/s catching up',
    ],
    runs.map((r) => {
      const { placement, trial } = placementOf(r.label);
      const rep = r.report;
      return [
        placement,
        trial,
        r.error ? `error: ${r.error.message}` : rep?.failedStep ? `${r.verdict} at ${rep.failedStep}` : r.verdict,
        rep?.accounting?.produced ?? '-',
        rep?.accounting?.lost ?? '-',
        rep?.accounting?.duplicated ?? '-',
        rep?.accounting?.reordered ?? '-',
        rep?.latency?.available ? `${rep.latency.p50Ms}/${rep.latency.p99Ms}` : '-',
        figures(rep?.latencyByPhase?.during),
        figures(rep?.latencyByPhase?.after),
        rep?.catchUp?.seconds ?? '-',
        rep?.catchUp?.drainPerSecond ?? rep?.catchUp?.perSecond ?? '-',
      ];
    }),
  );
}

const figures = (l?: LatencyFigures) => (l && l.count ? `${l.p50Ms}/${l.p99Ms}/${l.maxMs}` : '-');
