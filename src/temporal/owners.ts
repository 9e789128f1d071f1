import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { labTargetValue } from '../domain/search-attributes';
import type { DrillConfig } from '../domain/drill-input';
import { LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../domain/search-attributes';
import { InvalidInputError } from '../errors';
import { chapterDrillWorkflow } from '../../workflows';
import { TASK_QUEUE, temporalNamespace } from './config';

/**
 * A drill started by `lab drill` with its worker inside the CLI runs on a task queue of that CLI
 * alone: when the CLI is gone, nothing else ever picks the drill up again (a later `lab drill` would
 * otherwise carry on a drill its user walked away from).
 */
export const cliTaskQueue = () => `${TASK_QUEUE}-cli-${hostname()}-${process.pid}`;
const isCliTaskQueue = (q: string) => q.startsWith(`${TASK_QUEUE}-cli-`);

/**
 * Whether the CLI that owns a private task queue still runs. On this host, its pid says so at once;
 * elsewhere, a poller seen lately (see workflowPollers).
 */
async function cliAlive(client: Client, taskQueue: string): Promise<boolean> {
  const m = new RegExp(`^${TASK_QUEUE}-cli-(.+)-(\\d+)$`).exec(taskQueue);
  if (m && m[1] === hostname() && labProcessRuns(Number(m[2]))) return true;
  // Another process may serve the queue now (`lab retry` resumes a drill on its queue): a poller
  // counts when its process still runs (this host) or it was seen lately (another host).
  const pollers = await recentPollers(client, taskQueue);
  return pollers.some((p) => {
    const [pid, host] = (p.identity ?? '').split('@');
    return host === hostname() ? labProcessRuns(Number(pid)) : true;
  });
}

/** Whether `pid` is a running Node process of this tool (bin/lab.js, npx's .bin/lab, a worker). */
function labProcessRuns(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node/.test(argv) && /lab|workers\/main/.test(argv);
  } catch {
    return false;
  }
}

/** Search attributes set when a drill is started, before any worker runs it ("no worker" until one does). */
export function startSearchAttributes(c: DrillConfig): TypedSearchAttributes {
  const pairs: SearchAttributePair[] = [
    { key: LAB_TOPOLOGY, value: c.mode === 'attach' ? 'target' : c.topology },
    { key: LAB_TARGET, value: labTargetValue(c) },
    { key: LAB_VERDICT, value: 'no worker' },
  ];
  return new TypedSearchAttributes(pairs);
}

/**
 * How many workers poll a task queue for workflow tasks now: the pollers Temporal reports that were
 * seen in the last 90 s (a live worker long-polls at least once a minute; a dead one stays listed).
 */
export async function workflowPollers(client: Client, taskQueue: string): Promise<number> {
  return (await recentPollers(client, taskQueue)).length;
}

async function recentPollers(client: Client, taskQueue: string) {
  const recent = Date.now() - 90_000;
  const pollers = (await describeWorkflowQueue(client, taskQueue)).pollers ?? [];
  return pollers.filter((p) => !p.lastAccessTime?.seconds || Number(p.lastAccessTime.seconds) * 1000 > recent);
}

const describeWorkflowQueue = (client: Client, taskQueue: string) =>
  client.workflowService.describeTaskQueue({
    namespace: temporalNamespace(),
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });

/** The line to show when no worker serves the drills' shared task queue (schedules and UI starts wait on it). */
export async function noWorkerWarning(client: Client): Promise<string | undefined> {
  const n = await workflowPollers(client, TASK_QUEUE).catch(() => -1);
  if (n > 0) return undefined;
  return n === 0
    ? `warning: no worker polls task queue ${TASK_QUEUE}: scheduled drills will wait, then time out with LabVerdict "no worker" (fix: keep \`npm run worker\` running)`
    : `warning: could not ask Temporal whether a worker polls ${TASK_QUEUE}`;
}

/**
 * One drill per lab at a time. A running drill on the same lab whose worker is alive owns it: the
 * new drill is refused with its id. One whose CLI is gone (see cliAlive) was abandoned: it is
 * terminated, so it cannot come back to life, and the new drill goes on.
 */
export async function claimLab(client: Client, c: DrillConfig, log: (s: string) => void): Promise<void> {
  const query = `WorkflowType = "${chapterDrillWorkflow.name}" AND ExecutionStatus = "Running" AND LabTarget = "${labTargetValue(c)}"`;
  for await (const w of client.workflow.list({ query })) {
    const abandoned = isCliTaskQueue(w.taskQueue) && !(await cliAlive(client, w.taskQueue));
    if (!abandoned) {
      throw new InvalidInputError(
        `lab ${c.labId} is in use by running drill ${w.workflowId}`,
        `wait for it, cancel it in the Temporal UI, or give this drill another --lab-id and --port-offset`,
      );
    }
    log(`drill ${w.workflowId} was abandoned by its CLI: terminating it`);
    await client.workflow.getHandle(w.workflowId, w.runId).terminate('abandoned: the lab drill that ran it is gone');
  }
}
