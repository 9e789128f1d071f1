/**
 * The task queue carries a version: a breaking change to workflows gets a new queue (v2: produce
 * records its start in an activity of its own, so v1 histories would not replay). LAB_TASK_QUEUE
 * isolates a set of workers.
 */
export const TASK_QUEUE = process.env.LAB_TASK_QUEUE ?? 'kafka-lab-v3';

/** A drill's execution timeout unless given: it also ends a drill that no worker ever picks up. */
export const DEFAULT_DRILL_TIMEOUT_MINUTES = 120;
/** Minutes (fractions allowed) as a Temporal duration in milliseconds. */
export const minutes = (m: number) => Math.max(1000, Math.round(m * 60_000));

export const temporalAddress = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
export const temporalNamespace = () => process.env.TEMPORAL_NAMESPACE ?? 'default';
/** Whether the user pointed us at their own server (then we never start one). */
export const userTemporal = () => !!process.env.TEMPORAL_ADDRESS;
export const DEV_UI_PORT = Number(process.env.LAB_TEMPORAL_UI_PORT ?? 8233);
export const temporalUiUrl = () => process.env.LAB_TEMPORAL_UI_URL ?? `http://127.0.0.1:${DEV_UI_PORT}`;

export function workflowUiLink(workflowId: string): string {
  return `${temporalUiUrl()}/namespaces/${temporalNamespace()}/workflows/${encodeURIComponent(workflowId)}`;
}
