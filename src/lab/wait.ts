import type Docker from 'dockerode';
import { containerLogTail, inspectContainer } from '../docker/containers';
import { ComponentUnhealthyError } from '../errors';
import { pollUntil } from '../util/poll';
import type { HealthCheck } from './health/checks';
import { safeProbe } from './health/probe';

/**
 * Polls a check until it passes or its deadline. A container that exited fails at once with its
 * last log lines, rather than after the whole timeout.
 */
export async function waitHealthy(
  docker: Docker,
  check: HealthCheck,
  onPoll: (detail: string) => void = () => undefined,
  intervalMs = 500,
  signal?: AbortSignal,
): Promise<string> {
  const start = Date.now();
  return pollUntil(
    async () => {
      for (const name of check.containers) {
        const info = await inspectContainer(docker, name);
        if (!info) throw new ComponentUnhealthyError(name, Date.now() - start, 'container is gone');
        if (!info.State.Running) {
          const tail = await containerLogTail(docker, name, 3);
          throw new ComponentUnhealthyError(name, Date.now() - start, `exited with code ${info.State.ExitCode}: ${tail}`);
        }
      }
      const r = await safeProbe(check.probe);
      return r.ok ? { done: true, value: r.detail } : { done: false, detail: r.detail };
    },
    {
      timeoutMs: check.timeoutMs,
      intervalMs,
      signal,
      onProgress: (d) => onPoll(`${check.component}: ${d}`),
      onTimeout: (last) => new ComponentUnhealthyError(check.containers[0] ?? check.component, check.timeoutMs, last),
    },
  );
}
