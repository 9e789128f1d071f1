import type { ConnectorState } from '../contracts/mirror';
import { ConnectorRejectedError, ServiceUnreachableError } from '../errors';
import { httpJson } from './http';

// Kafka Connect's REST API, as the mirror's registration and the failover drill use it.

/** PUTs each connector whose config differs from what Connect holds; the ones it changed are added to `changed`. */
export async function putConnectorConfigs(
  connectUrl: string,
  configs: Record<string, Record<string, string>>,
  headers: Record<string, string>,
  changed: Set<string>,
): Promise<void> {
  for (const [name, config] of Object.entries(configs)) {
    const current = await httpJson<Record<string, string>>('Kafka Connect', `${connectUrl}/connectors/${name}/config`, { headers });
    const same =
      current.status === 200 &&
      Object.entries(config).every(([k, v]) => current.body[k] === v) &&
      Object.keys(current.body).length === Object.keys(config).length + 1;
    if (same) continue;
    const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/config`, {
      method: 'PUT',
      body: config,
      timeoutMs: 30_000,
      headers,
    });
    if (res.status === 400 || res.status === 422) throw new ConnectorRejectedError(name, res.body?.message ?? JSON.stringify(res.body));
    if (res.status >= 300)
      throw new ServiceUnreachableError('Kafka Connect', connectUrl, `PUT ${name} answered ${res.status} ${res.body?.message ?? ''}`);
    changed.add(name);
  }
}

/** Pauses or resumes a connector (Connect answers 202 and acts shortly after). */
export async function setConnectorPaused(
  connectUrl: string,
  name: string,
  paused: boolean,
  headers: Record<string, string>,
): Promise<void> {
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/${paused ? 'pause' : 'resume'}`, {
    method: 'PUT',
    headers,
  });
  if (res.status >= 300)
    throw new ServiceUnreachableError(
      'Kafka Connect',
      connectUrl,
      `${paused ? 'pause' : 'resume'} ${name} answered ${res.status} ${res.body?.message ?? ''}`,
    );
}

export const resumeConnector = (connectUrl: string, name: string, headers: Record<string, string>) =>
  setConnectorPaused(connectUrl, name, false, headers);

/** A connector's state and its tasks' states; UNASSIGNED when Connect does not know it. */
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

/** The first line of the trace of a FAILED connector or task. */
export async function failureTrace(url: string, name: string, headers: Record<string, string>): Promise<string> {
  const res = await httpJson<{ connector?: { trace?: string }; tasks?: { trace?: string }[] }>(
    'Kafka Connect',
    `${url}/connectors/${name}/status`,
    { headers },
  );
  const trace = res.body.connector?.trace ?? res.body.tasks?.find((t) => t.trace)?.trace ?? 'no trace';
  return trace.split('\n')[0];
}

/** Stops a connector (Kafka 3.5+, KIP-875): its tasks shut down, its config and offsets kept, so its offsets can be altered. */
export async function stopConnector(connectUrl: string, name: string, headers: Record<string, string>): Promise<void> {
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/stop`, { method: 'PUT', headers });
  if (res.status >= 300)
    throw new ServiceUnreachableError('Kafka Connect', connectUrl, `stop ${name} answered ${res.status} ${res.body?.message ?? ''}`);
}

/** A MirrorMaker 2 source connector's committed positions: per (topic, partition) of its source, the offset of the last record it copied. */
export type MirrorPositions = { topic: string; partition: number; offset: number }[];

interface ConnectOffsets {
  offsets?: { partition: { cluster?: string; topic?: string; partition?: number }; offset: { offset?: number } | null }[];
}

/**
 * What a mirror still has to copy of `topic`, per partition short of its end, in words ('' at lag
 * zero): a position is the last record copied, and a partition copies nothing before `from`.
 */
export function mirrorLag(
  positions: MirrorPositions,
  topic: string,
  end: Record<number, string>,
  from: Record<number, string> = {},
): string {
  return Object.entries(end)
    .map(([p, e]) => {
      const copied = (positions.find((x) => x.topic === topic && x.partition === Number(p))?.offset ?? -1) + 1;
      return { p, lag: Number(e) - Math.max(copied, Number(from[Number(p)] ?? 0)) };
    })
    .filter((x) => x.lag > 0)
    .map((x) => `p${x.p}:${x.lag}`)
    .join(' ');
}

/** The connector's committed source offsets (Kafka 3.5+, KIP-875). */
export async function mirrorPositions(connectUrl: string, name: string, headers: Record<string, string>): Promise<MirrorPositions> {
  const res = await httpJson<ConnectOffsets & { message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/offsets`, {
    headers,
  });
  if (res.status >= 300)
    throw new ServiceUnreachableError('Kafka Connect', connectUrl, `offsets of ${name} answered ${res.status} ${res.body?.message ?? ''}`);
  return (res.body.offsets ?? [])
    .filter((o) => o.partition.topic !== undefined && o.partition.partition !== undefined && typeof o.offset?.offset === 'number')
    .map((o) => ({ topic: o.partition.topic!, partition: o.partition.partition!, offset: o.offset!.offset! }));
}

/**
 * Moves a stopped MirrorMaker 2 source connector: it resumes each partition after the given offset
 * (MirrorSourceTask seeks to the committed offset + 1). Kafka 3.6+ (KAFKA-15177).
 */
export async function alterMirrorPositions(
  connectUrl: string,
  name: string,
  sourceAlias: string,
  positions: MirrorPositions,
  headers: Record<string, string>,
): Promise<void> {
  const body = {
    offsets: positions.map((p) => ({
      partition: { cluster: sourceAlias, topic: p.topic, partition: p.partition },
      offset: { offset: p.offset },
    })),
  };
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/offsets`, {
    method: 'PATCH',
    body,
    headers,
    timeoutMs: 30_000,
  });
  if (res.status === 400 || res.status === 422) throw new ConnectorRejectedError(name, res.body?.message ?? JSON.stringify(res.body));
  if (res.status >= 300)
    throw new ServiceUnreachableError(
      'Kafka Connect',
      connectUrl,
      `altering ${name}'s offsets answered ${res.status} ${res.body?.message ?? ''}`,
    );
}

/** Removes a connector; one Connect does not know is already removed. */
export async function deleteConnector(connectUrl: string, name: string, headers: Record<string, string>): Promise<void> {
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}`, { method: 'DELETE', headers });
  if (res.status >= 300 && res.status !== 404)
    throw new ServiceUnreachableError('Kafka Connect', connectUrl, `delete ${name} answered ${res.status} ${res.body?.message ?? ''}`);
}

/** Creates a connector that starts STOPPED (Kafka 3.7+, KIP-980), so its offsets can be placed before it copies anything. */
export async function createStoppedConnector(
  connectUrl: string,
  name: string,
  config: Record<string, string>,
  headers: Record<string, string>,
): Promise<void> {
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors`, {
    method: 'POST',
    body: { name, config, initial_state: 'STOPPED' },
    headers,
    timeoutMs: 30_000,
  });
  if (res.status === 400 || res.status === 422) throw new ConnectorRejectedError(name, res.body?.message ?? JSON.stringify(res.body));
  if (res.status >= 300 && res.status !== 409)
    throw new ServiceUnreachableError('Kafka Connect', connectUrl, `creating ${name} answered ${res.status} ${res.body?.message ?? ''}`);
}

/** Forgets a stopped connector's offsets (an earlier connector of the same name left them): it starts from scratch. */
export async function resetConnectorOffsets(connectUrl: string, name: string, headers: Record<string, string>): Promise<void> {
  const res = await httpJson<{ message?: string }>('Kafka Connect', `${connectUrl}/connectors/${name}/offsets`, {
    method: 'DELETE',
    headers,
    timeoutMs: 30_000,
  });
  if (res.status >= 300)
    throw new ServiceUnreachableError(
      'Kafka Connect',
      connectUrl,
      `resetting ${name}'s offsets answered ${res.status} ${res.body?.message ?? ''}`,
    );
}

/** Restarts a connector's failed tasks (Kafka 3.0+, KIP-745). */
export async function restartFailedTasks(connectUrl: string, name: string, headers: Record<string, string>): Promise<void> {
  const res = await httpJson<{ message?: string }>(
    'Kafka Connect',
    `${connectUrl}/connectors/${name}/restart?includeTasks=true&onlyFailed=true`,
    { method: 'POST', headers },
  );
  if (res.status >= 300 && res.status !== 404)
    throw new ServiceUnreachableError('Kafka Connect', connectUrl, `restart ${name} answered ${res.status} ${res.body?.message ?? ''}`);
}
