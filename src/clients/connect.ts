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
