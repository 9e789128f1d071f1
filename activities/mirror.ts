import { connectorState, deleteConnector, failureTrace, putConnectorConfigs, resumeConnector } from '../src/clients/connect';
import { httpAuthHeaders } from '../src/config/credentials';
import { mirrorConnectorConfigs, reverseMirrorConnectorConfigs } from '../src/mirror/connectors';
import { ConnectorRejectedError, MirrorNotRunningError } from '../src/errors';
import { createTopic } from '../src/kafka/create-topic';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { ConnectorState, MirrorInput } from '../src/contracts/mirror';

/**
 * Registers the mirror as the chapter's `curl` does, then waits until the connectors and their
 * tasks are RUNNING. The mirrored topic is created first with LogAppendTime, so each record's
 * downstream timestamp is its arrival time (MirrorMaker 2 never syncs message.timestamp.type).
 * A connector whose config is unchanged is left alone: registering again changes nothing.
 */
export async function registerMirror(input: MirrorInput): Promise<ConnectorState[]> {
  const headers = httpAuthHeaders(input.access?.connect, 'Connect');
  const register = input.register ?? true;
  const configs = mirrorConnectorConfigs(input);
  const names = register ? Object.keys(configs) : (input.connectors ?? Object.keys(configs));
  // A source connector needs a task to copy anything. One just registered starts with the partitions
  // it knows and reconfigures once it has read the topic's: it is ready with one task per partition
  // up to tasks.max (its config says how many that is), not with its first task.
  const tasksWanted = (s: ConnectorState) => (!s.name.includes('source') ? 0 : register ? Number(configs[s.name]?.['tasks.max'] ?? 1) : 1);
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
        const paused = (s: ConnectorState) => input.acceptPaused && s.state === 'PAUSED';
        const notRunning = states.filter(
          (s) => !paused(s) && (s.state !== 'RUNNING' || s.tasks.some((t) => t !== 'RUNNING') || s.tasks.length < tasksWanted(s)),
        );
        if (notRunning.length === 0) return { done: true, value: states };
        return { done: false, detail: notRunning.map((s) => `${s.name} ${s.state} tasks [${s.tasks.join(',')}]`).join('; ') };
      },
      {
        timeoutMs: (input.timeoutSeconds ?? 180) * 1000,
        // connectors usually start within a second or two of being put
        firstIntervalMs: 250,
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
  await putConnectorConfigs(input.connectUrl, mirrorConnectorConfigs(input), headers, changed);
  // a reverse mirror a failed failback left in a kept lab goes first: under IdentityReplicationPolicy the two would copy each other's copies
  if (input.removeReverse)
    for (const name of Object.keys(reverseMirrorConnectorConfigs(input))) await deleteConnector(input.connectUrl, name, headers);
  // a connector an earlier drill paused (a disaster drill's planted loss) or stopped (a failback that failed) mirrors again
  for (const name of Object.keys(mirrorConnectorConfigs(input))) {
    if (['PAUSED', 'STOPPED'].includes((await connectorState(input.connectUrl, name, false, headers)).state))
      await resumeConnector(input.connectUrl, name, headers);
  }
}
