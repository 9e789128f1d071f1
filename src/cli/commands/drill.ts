import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { isInputProblem, resolveDrillInput, type DrillInput } from '../../domain/drill';
import { ExitCode, InvalidInputError } from '../../errors';
import { renderReport, renderStepLine, reportJson } from '../../report/render-text';
import { workflowUiLink } from '../../temporal/config';
import { connectTemporal } from '../../temporal/dev-server';
import { runDrill } from '../../temporal/drill-runner';
import { createOutput } from '../output';

export const DRILL_HELP = `lab drill [--topology lite|chapter] [--messages N] [--schema-v2 FILE] [--keep] [--json]
          [--topic T] [--partitions N] [--lab-id ID] [--port-offset N] [--delete-mirrored N]
          [--verify-timeout SECONDS] [--latency-threshold MS] [--fail-on-duplicates] [--workflow-id ID]
  Runs the chapter's drill as a Temporal workflow: provision, create the topic, register the mirror,
  produce v1, verify, evolve the schema, produce v2, re-verify, check metrics, tear down.
  Exit code 0 when every step passes, 1 when a verdict fails, 2 on bad input, 3 when a service is unreachable.`;

const int = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidInputError(`--${flag} "${v}" is not a number`, `give --${flag} a number`);
  return n;
};

function readSchema(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`cannot read --schema-v2 ${file}: ${(e as NodeJS.ErrnoException).code}`, 'give the path of an .avsc file');
  }
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    throw new InvalidInputError(`--schema-v2 ${file} is not JSON`, 'an .avsc file holds the schema as JSON');
  }
}

export async function drillCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      topology: { type: 'string' }, 'lab-id': { type: 'string' }, 'port-offset': { type: 'string' }, images: { type: 'string' },
      'connect-placement': { type: 'string' }, messages: { type: 'string' }, partitions: { type: 'string' }, topic: { type: 'string' },
      'schema-v2': { type: 'string' }, keep: { type: 'boolean' }, json: { type: 'boolean' }, 'delete-mirrored': { type: 'string' },
      'verify-timeout': { type: 'string' }, 'latency-threshold': { type: 'string' }, 'fail-on-duplicates': { type: 'boolean' },
      'workflow-id': { type: 'string' },
    },
  });
  const out = createOutput(!!v.json);
  const input: DrillInput = {
    topology: v.topology, labId: v['lab-id'] ?? process.env.LAB_ID, portOffset: int('port-offset', v['port-offset'] ?? process.env.LAB_PORT_OFFSET),
    images: v.images ?? process.env.LAB_IMAGES, connectPlacement: v['connect-placement'], messages: int('messages', v.messages),
    partitions: int('partitions', v.partitions), topic: v.topic, schemaV2: readSchema(v['schema-v2']), keepLab: v.keep || undefined,
    verifyTimeoutSeconds: int('verify-timeout', v['verify-timeout']), latencyThresholdMs: int('latency-threshold', v['latency-threshold']),
    failOnDuplicates: v['fail-on-duplicates'] || undefined,
    faults: v['delete-mirrored'] ? { deleteMirroredRecords: int('delete-mirrored', v['delete-mirrored']) } : undefined,
  };
  const config = resolveDrillInput(input);
  if (isInputProblem(config)) throw new InvalidInputError(config.problem, config.fix);
  if (config.mode === 'provision') await connectDocker(); // fail before Temporal when Docker is down

  const connection = await connectTemporal(out.progress);
  const external = process.env.LAB_WORKER === 'external';
  // Loaded only when needed: the worker package is heavy, and other commands never use it.
  const { createDrillWorker } = require('../../../workers/create-worker') as typeof import('../../../workers/create-worker');
  const worker = external ? undefined : await createDrillWorker();
  const workflowId = v['workflow-id'] ?? `drill-${config.mode === 'attach' ? 'target' : config.topology}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  out.progress(`drill ${workflowId} started: ${workflowUiLink(workflowId)}`);
  try {
    const run = await runDrill(connection, input, {
      workflowId, worker, onStep: (s) => out.progress(renderStepLine(s)),
      memo: { topology: config.topology, target: config.target?.name ?? 'lab', messages: config.messages },
    });
    if (!run.report) {
      process.stderr.write(`error: drill ${workflowId} failed without a report: ${run.error?.message}\n`);
      out.result({ verdict: 'failed', drillId: workflowId, error: run.error });
      return run.error?.type === 'InvalidInput' ? ExitCode.Usage : ExitCode.VerdictFailed;
    }
    out.text(`\n${renderReport(run.report)}\n\nTemporal UI: ${workflowUiLink(workflowId)}`);
    out.result(reportJson(run.report, { temporalUi: workflowUiLink(workflowId) }));
    return run.report.verdict === 'passed' ? ExitCode.Ok : ExitCode.VerdictFailed;
  } finally {
    await connection.close();
  }
}
