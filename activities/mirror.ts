import { httpJson } from '../src/clients/http';
import { httpAuthHeaders } from '../src/config/credentials';
import type { HttpAccess, KafkaAccess } from '../src/domain/access';
import { mirrorConnectorConfigs } from '../src/mirror/connectors';
import { ConnectorRejectedError, MirrorNotRunningError, ServiceUnreachableError } from '../src/errors';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from './heartbeat';
import { createTopic } from './topics';

export interface MirrorInput {
  connectUrl: string;
  /** Bootstrap servers as the Connect workers see them. */
  sourceBootstrap: string[];
  targetBootstrap: string[];
  /** Downstream bootstrap as this worker sees it, to prepare the mirrored topic. */
  targetHostBootstrap: string[];
  topic: string;
  mirroredTopic: string;
  partitions: number;
  replicationFactor: number;
  tuning?: 'chapter' | 'throughput';
  timeoutSeconds?: number;
  /** false: clusters we did not create; only check that these connectors run, change nothing. */
  register?: boolean;
  connectors?: string[];
  access?: { connect?: HttpAccess; downstream?: KafkaAccess };
}

export interface ConnectorState {
  name: string;
  state: string;
  tasks: string[];
  changed: boolean;
}

/**
 * Registers the mirror as the chapter's `curl` does, then waits until the connectors and their
 * tasks are RUNNING. The mirrored topic is created first with LogAppendTime, so each record's
 * downstream timestamp is its arrival time (MirrorMaker 2 never syncs message.timestamp.type).
 * A connector whose config is unchanged is left alone: registering again changes nothing.
 */
export async function registerMirror(input: MirrorInput): Promise<ConnectorState[]> {
  const headers = httpAuthHeaders(input.access?.connect, 'Connect');
  const register = input.register ?? true;
  const names = register ? Object.keys(mirrorConnectorConfigs(input)) : (input.connectors ?? Object.keys(mirrorConnectorConfigs(input)));
  const changed = new Set<string>();
  if (register) await putConnectors(input, headers, changed);
  return withHeartbeat((progress, signal) =>
    pollUntil<ConnectorState[]>(
      async () => {
        const states = await Promise.all(names.map((n) => connectorState(input.connectUrl, n, changed.has(n), headers)));
        const failed = states.find((s) => s.state === 'FAILED' || s.tasks.includes('FAILED'));
        if (failed) {
          throw new ConnectorRejectedError(
            failed.name,
            `connector or task FAILED: ${await failureTrace(input.connectUrl, failed.name, headers)}`,
          );
        }
        const notRunning = states.filter(
          (s) => s.state !== 'RUNNING' || s.tasks.some((t) => t !== 'RUNNING') || (s.name.includes('source') && s.tasks.length === 0),
        );
        if (notRunning.length === 0) return { done: true, value: states };
        return { done: false, detail: notRunning.map((s) => `${s.name} ${s.state} tasks [${s.tasks.join(',')}]`).join('; ') };
      },
      {
        timeoutMs: (input.timeoutSeconds ?? 180) * 1000,
        intervalMs: 2000,
        signal,
        onProgress: progress,
        onTimeout: (last) => new MirrorNotRunningError(last),
      },
    ),
  );
}

async function putConnectors(input: MirrorInput, headers: Record<string, string>, changed: Set<string>) {
  await createTopic({
    bootstrap: input.targetHostBootstrap,
    topic: input.mirroredTopic,
    partitions: input.partitions,
    replicationFactor: input.replicationFactor,
    configs: { 'message.timestamp.type': 'LogAppendTime' },
    access: input.access?.downstream,
  });
  for (const [name, config] of Object.entries(mirrorConnectorConfigs(input))) {
    const current = await httpJson<Record<string, string>>('Kafka Connect', `${input.connectUrl}/connectors/${name}/config`, { headers });
    const same =
      current.status === 200 &&
      Object.entries(config).every(([k, v]) => current.body[k] === v) &&
      Object.keys(current.body).length === Object.keys(config).length + 1;
    if (same) continue;
    const res = await httpJson<{ message?: string }>('Kafka Connect', `${input.connectUrl}/connectors/${name}/config`, {
      method: 'PUT',
      body: config,
      timeoutMs: 30_000,
      headers,
    });
    if (res.status === 400 || res.status === 422) throw new ConnectorRejectedError(name, res.body?.message ?? JSON.stringify(res.body));
    if (res.status >= 300)
      throw new ServiceUnreachableError('Kafka Connect', input.connectUrl, `PUT ${name} answered ${res.status} ${res.body?.message ?? ''}`);
    changed.add(name);
  }
}

export async function connectorState(
  url: string,
  name: string,
  changed: boolean,
  headers: Record<string, string>,
): Promise<ConnectorState> {
  const res = await httpJson<{ connector?: { state: string }; tasks?: { state: string }[] }>(
    'Kafka Connect',
    `${url}/connectors/${name}/status`,
    { headers },
  );
  if (res.status === 404) return { name, state: 'UNASSIGNED', tasks: [], changed };
  return { name, state: res.body.connector?.state ?? 'UNKNOWN', tasks: (res.body.tasks ?? []).map((t) => t.state), changed };
}

async function failureTrace(url: string, name: string, headers: Record<string, string>): Promise<string> {
  const res = await httpJson<{ connector?: { trace?: string }; tasks?: { trace?: string }[] }>(
    'Kafka Connect',
    `${url}/connectors/${name}/status`,
    { headers },
  );
  const trace = res.body.connector?.trace ?? res.body.tasks?.find((t) => t.trace)?.trace ?? 'no trace';
  return trace.split('\n')[0];
}
