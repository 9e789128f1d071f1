import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type Docker from 'dockerode';
import { inspectContainer } from '../docker/containers';
import { execIn } from '../docker/exec';
import type { DrillConfig } from '../domain/drill-input';
import type { Fault } from '../domain/faults';
import { InvalidInputError, LinkShapingError, NetemMissingError, ServiceUnreachableError } from '../errors';
import { targetFaultContainer } from '../domain/fault-targets';
import type { DataCenter } from '../domain/topology';
import { LABELS, brokerNode, connectNode, containerName, networkName } from './names';

/**
 * Real faults on a lab: a process killed with SIGKILL (the container's main process) and started
 * again, and the link between the data centers cut (its interfaces down) or shaped with Linux tc
 * netem, on both ends of the `wan` network (the Connect workers and the remote cluster's brokers). Every operation is
 * idempotent, so an activity retried halfway does the same thing again, and undo always works.
 */

/** The container a kill fault hits. */
export function faultContainer(labId: string, f: Fault): string {
  return containerName(labId, f.kind === 'broker-kill' ? brokerNode(f.dataCenter, f.index - 1) : connectNode(f.index - 1));
}

/** A data center's brokers and the Connect workers placed in it, by their labels: what an outage takes down. */
export async function dataCenterContainers(docker: Docker, labId: string, dc: DataCenter): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABELS.labId}=${labId}`, `${LABELS.dataCenter}=${dc}`] }),
  });
  const names = containers
    .filter((c) => c.Labels[LABELS.role] === 'broker' || c.Labels[LABELS.role] === 'connect')
    .map((c) => c.Names[0].replace(/^\//, ''))
    .sort();
  if (names.length === 0)
    throw new ServiceUnreachableError(`lab ${labId}`, 'the Docker host', `it has no ${dc} brokers: is it provisioned?`);
  return names;
}

export async function killContainer(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .kill({ signal: 'SIGKILL' })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) throw new FaultContainerMissingError(name);
      if (e.statusCode !== 409) throw e; // 409: not running, killed already
    });
}

export async function startContainer(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .start()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) throw new FaultContainerMissingError(name);
      if (e.statusCode !== 304) throw e; // 304: running already
    });
}

/** A kill fault's container (one a target file lists) that this Docker host does not have: not retryable. */
export class FaultContainerMissingError extends InvalidInputError {
  constructor(name: string) {
    super(
      `container ${name} named for a fault is not on this Docker host`,
      "list the target's containers as `docker ps` names them (faults in the target file), on the host the worker uses",
    );
  }
}

/** Refuses, before a drill against a target starts, a kill fault whose listed container is not on this Docker host. */
export async function checkTargetFaultContainers(docker: Docker, c: DrillConfig): Promise<void> {
  for (const f of c.faults.inject) {
    const name = targetFaultContainer(c, f);
    if (name && !(await inspectContainer(docker, name))) throw new FaultContainerMissingError(name);
  }
}

/** netem arguments for a degraded link. */
export function netemArgs(state: Fault['link']): string[] {
  const args = ['delay', `${state.delayMs}ms`];
  if (state.jitterMs > 0) args.push(`${state.jitterMs}ms`, 'distribution', 'normal');
  if (state.lossPercent > 0) args.push('loss', `${state.lossPercent}%`);
  args.push('rate', `${state.rateMbit}mbit`);
  return args;
}

/** Each lab container on the wan network, with the name of its interface there. */
async function wanInterfaces(docker: Docker, labId: string): Promise<{ container: string; iface: string }[]> {
  const wan = networkName(labId, 'wan');
  const net = await docker.getNetwork(wan).inspect();
  const out: { container: string; iface: string }[] = [];
  for (const c of Object.values(net.Containers ?? {}) as { Name: string; IPv4Address: string }[]) {
    const ip = c.IPv4Address.split('/')[0];
    const r = await execIn(docker, c.Name, ['ip', '-o', '-4', 'addr', 'show']);
    const line = r.output.split('\n').find((l) => l.includes(` ${ip}/`));
    const iface = line?.split(/\s+/)[1];
    if (!iface) throw new LinkShapingError(c.Name, `no interface holds ${ip}: ${r.output.slice(0, 200)}`);
    out.push({ container: c.Name, iface });
  }
  return out;
}

/**
 * Sets the state of the link between the data centers on each end of it: cut takes the wan
 * interface down (nothing passes), degraded shapes it with netem; undefined gives it back (up, no
 * qdisc). Returns the interfaces touched.
 */
export async function shapeLink(docker: Docker, labId: string, state: 'cut' | Fault['link'] | undefined): Promise<string[]> {
  const done: string[] = [];
  for (const { container, iface } of await wanInterfaces(docker, labId)) {
    if (state === undefined) {
      await run(docker, container, ['ip', 'link', 'set', 'dev', iface, 'up']);
      // deleting a qdisc that is not there is what undoing twice looks like
      await run(
        docker,
        container,
        ['tc', 'qdisc', 'del', 'dev', iface, 'root'],
        /No such file|Cannot delete qdisc with handle of zero|not find/i,
      );
    } else if (state === 'cut') {
      await run(docker, container, ['ip', 'link', 'set', 'dev', iface, 'down']);
    } else {
      const r = await execIn(docker, container, ['tc', 'qdisc', 'replace', 'dev', iface, 'root', 'netem', ...netemArgs(state)]);
      if (r.code !== 0 && /qdisc kind is unknown/i.test(r.output)) throw new NetemMissingError();
      if (r.code !== 0) throw new LinkShapingError(container, r.output.trim());
    }
    done.push(`${container}:${iface}`);
  }
  return done;
}

async function run(docker: Docker, container: string, cmd: string[], harmless?: RegExp): Promise<void> {
  const r = await execIn(docker, container, cmd);
  if (r.code !== 0 && !harmless?.test(r.output)) throw new LinkShapingError(container, `${cmd.join(' ')}: ${r.output.trim()}`);
}

/** Refuses, before a drill starts, a fault this Docker host cannot inject (checked where the host can be read). */
export function checkFaultsCanRun(c: DrillConfig): void {
  if (c.faults.inject.some((f) => f.kind === 'link-degrade') && localKernelHasNetem() === false) throw new NetemMissingError();
}

/** Whether the local kernel has netem, from /proc/config.gz; undefined when that cannot be told (another Docker host, no config). */
export function localKernelHasNetem(): boolean | undefined {
  if (process.env.DOCKER_HOST) return undefined;
  try {
    const config = gunzipSync(readFileSync('/proc/config.gz')).toString();
    if (/^CONFIG_NET_SCH_NETEM=[ym]$/m.test(config)) return true;
    return /^# CONFIG_NET_SCH_NETEM is not set$/m.test(config) ? false : undefined;
  } catch {
    return undefined;
  }
}
