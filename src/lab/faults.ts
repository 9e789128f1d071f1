import type Docker from 'dockerode';
import { execIn } from '../docker/exec';
import type { Fault } from '../domain/faults';
import { LabError } from '../errors';
import { FailureType } from '../domain/failures';
import { ExitCode } from '../errors';
import { brokerNode, connectNode, containerName, networkName } from './names';

/**
 * Real faults on a lab: a process killed with SIGKILL (the container's main process) and started
 * again, and the link between the data centers cut or shaped with Linux tc netem on both ends of
 * the `wan` network (the Connect workers and the remote cluster's brokers). Every operation is
 * idempotent, so an activity retried halfway does the same thing again, and undo always works.
 */

/** The container a kill fault hits. */
export function faultContainer(labId: string, f: Fault): string {
  return containerName(labId, f.kind === 'broker-kill' ? brokerNode(f.dataCenter, f.index - 1) : connectNode(f.index - 1));
}

export async function killContainer(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .kill({ signal: 'SIGKILL' })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 409) throw e; // 409: not running, killed already
    });
}

export async function startContainer(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .start()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 304) throw e; // 304: running already
    });
}

/** netem arguments for a link state: cut (every packet dropped) or degraded. */
export function netemArgs(state: 'cut' | Fault['link']): string[] {
  if (state === 'cut') return ['loss', '100%'];
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

/** Sets (or with undefined, clears) the state of the link between the data centers; returns the interfaces shaped. */
export async function shapeLink(docker: Docker, labId: string, state: 'cut' | Fault['link'] | undefined): Promise<string[]> {
  const done: string[] = [];
  for (const { container, iface } of await wanInterfaces(docker, labId)) {
    const cmd = state
      ? ['tc', 'qdisc', 'replace', 'dev', iface, 'root', 'netem', ...netemArgs(state)]
      : ['tc', 'qdisc', 'del', 'dev', iface, 'root'];
    const r = await execIn(docker, container, cmd);
    // deleting a qdisc that is not there is what undo-twice looks like
    if (r.code !== 0 && !(state === undefined && /No such file|Cannot delete qdisc with handle of zero|not find/i.test(r.output)))
      throw new LinkShapingError(container, r.output.trim());
    done.push(`${container}:${iface}`);
  }
  return done;
}

export class LinkShapingError extends LabError {
  readonly type = FailureType.NotReady;
  readonly exitCode = ExitCode.Unreachable;
  constructor(container: string, detail: string) {
    super(
      `tc could not shape the link in ${container}: ${detail}`,
      'the lab needs NET_ADMIN and iproute2 in its images: run `npx lab down` and provision again',
      true,
    );
  }
}
