import type Docker from 'dockerode';
import { containerLogTail, inspectContainer } from '../docker/containers';
import { ComponentUnhealthyError } from '../errors';
import { sleep } from '../util/sleep';
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
  intervalMs = 1500,
): Promise<string> {
  const start = Date.now();
  let last = 'not checked yet';
  while (Date.now() - start < check.timeoutMs) {
    for (const name of check.containers) {
      const info = await inspectContainer(docker, name);
      if (!info) throw new ComponentUnhealthyError(name, Date.now() - start, 'container is gone');
      if (!info.State.Running) {
        const tail = await containerLogTail(docker, name, 3);
        throw new ComponentUnhealthyError(name, Date.now() - start, `exited with code ${info.State.ExitCode}: ${tail}`);
      }
    }
    const r = await safeProbe(check.probe);
    if (r.ok) return r.detail;
    last = r.detail;
    onPoll(`${check.component}: ${last}`);
    await sleep(intervalMs);
  }
  throw new ComponentUnhealthyError(check.containers[0] ?? check.component, check.timeoutMs, last);
}
