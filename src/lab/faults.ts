import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type Docker from 'dockerode';
import { inspectContainer } from '../docker/containers';
import { execIn } from '../docker/exec';
import type { DrillConfig } from '../domain/drill-input';
import { drillTopology } from '../domain/drill-lab';
import { isTopologyProblem } from '../domain/resolve-topology';
import { isBrokerFault, type Fault } from '../domain/faults';
import {
  FaultNotProvenError,
  InvalidInputError,
  LinkShapingError,
  NetemMissingError,
  ServiceUnreachableError,
  TimedOutError,
} from '../errors';
import { pollUntil } from '../util/poll';
import { targetFaultContainer } from '../domain/fault-targets';
import type { DataCenter } from '../domain/topology';
import { LABELS, brokerNode, connectNode, containerName, networkName } from './names';
import { DISK_HOLDER_MOUNT, LINK_PROXY, diskHolderName } from './plan';
import { demuxDockerStream } from '../docker/demux';

/**
 * Real faults on a lab: a process killed with SIGKILL (the container's main process) and started
 * again, and the link between the data centers cut (its interfaces down) or shaped with Linux tc
 * netem, on both ends of the `wan` network (the Connect workers and the remote cluster's brokers). Every operation is
 * idempotent, so an activity retried halfway does the same thing again, and undo always works.
 */

/** The container a broker or Connect fault hits. */
export function faultContainer(labId: string, f: Fault): string {
  return containerName(labId, isBrokerFault(f.kind) ? brokerNode(f.dataCenter, f.index - 1) : connectNode(f.index - 1));
}

/**
 * A data center's containers, by their labels: its brokers and the Connect workers placed in it
 * (what an outage takes down), its brokers alone, or every container of the site (its apps too)
 * but never a disk holder: a site that lost power keeps its disks.
 */
export async function dataCenterContainers(
  docker: Docker,
  labId: string,
  dc: DataCenter,
  which: 'outage' | 'brokers' | 'site' = 'outage',
): Promise<string[]> {
  const roles = { outage: ['broker', 'connect'], brokers: ['broker'], site: undefined }[which];
  const containers = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABELS.labId}=${labId}`, `${LABELS.dataCenter}=${dc}`] }),
  });
  const names = containers
    .filter((c) => (roles ? roles.includes(c.Labels[LABELS.role]) : c.Labels[LABELS.role] !== 'disk'))
    .map((c) => c.Names[0].replace(/^\//, ''))
    .sort();
  if (names.length === 0)
    throw new ServiceUnreachableError(`lab ${labId}`, 'the Docker host', `it has no ${dc} brokers: is it provisioned?`);
  return names;
}

/**
 * Cuts a data center off the link for good, whatever runs in it later: its containers leave the
 * `wan` network (a stopped container can, and starts again without it), and the link proxy leaves
 * the site's network. Proof: each read back afterwards. Idempotent.
 */
export async function isolateDataCenter(docker: Docker, labId: string, dc: DataCenter): Promise<string[]> {
  const wan = networkName(labId, 'wan');
  const site = networkName(labId, dc);
  const members = await dataCenterContainers(docker, labId, dc, 'site');
  const proxy = containerName(labId, LINK_PROXY);
  const cuts: { container: string; network: string }[] = [
    ...members.map((container) => ({ container, network: wan })),
    ...((await inspectContainer(docker, proxy)) ? [{ container: proxy, network: site }] : []),
  ];
  const evidence: string[] = [];
  for (const { container, network } of cuts) {
    const on = async () => Object.keys((await inspectContainer(docker, container))?.NetworkSettings.Networks ?? {}).includes(network);
    if (!(await on())) continue;
    await docker
      .getNetwork(network)
      .disconnect({ Container: container, Force: true })
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e; // 404: gone meanwhile; read back below
      });
    if (await on()) throw new FaultNotProvenError(`cutting ${container} off ${network}`, 'it is still attached');
    evidence.push(`${container} off ${network}`);
  }
  if (evidence.length === 0) evidence.push(`${dc} already off the link (${wan})`);
  return evidence;
}

/**
 * Told the moment a helper's action took hold (the signal sent, the container started, the link
 * changed, the disk filled or freed), before its proof is read back: on a loaded machine the proof
 * takes seconds, and the records of those seconds are the fault's, not the time after it.
 */
export type Acted = (at: number) => void;

/** A container's main process as Docker sees it: what a process fault acts on and proves itself by. */
export interface MainProcess {
  pid: number;
  startedAt: string;
  running: boolean;
  exitCode: number;
}

export async function mainProcess(docker: Docker, name: string): Promise<MainProcess> {
  const info = await inspectContainer(docker, name);
  if (!info) throw new FaultContainerMissingError(name);
  return { pid: info.State.Pid, startedAt: info.State.StartedAt, running: info.State.Running, exitCode: info.State.ExitCode };
}

const settles = <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean) =>
  pollUntil(
    async () => {
      const v = await read();
      return ok(v) ? { done: true, value: v } : { done: false, detail: JSON.stringify(v) };
    },
    { timeoutMs: 15_000, intervalMs: 200, onTimeout: (last) => new TimedOutError(`waiting for ${what}`, `last seen ${last}`) },
  );

/**
 * SIGKILLs a container's main process and returns the proof: the process that ran and how it exited.
 * `before` is told which process is about to die (kept in a heartbeat), so that a retry finding it
 * dead knows an earlier attempt killed it; a container that was not running to begin with is a
 * fault that hit nothing.
 */
export async function killContainer(
  docker: Docker,
  name: string,
  opts: { killedEarlier?: Pick<MainProcess, 'startedAt'>; before?: (p: MainProcess) => void; acted?: Acted } = {},
): Promise<string> {
  const was = await mainProcess(docker, name);
  if (!was.running) {
    if (opts.killedEarlier?.startedAt === was.startedAt)
      return `${name}: main process (started ${was.startedAt}) killed by an earlier attempt, exited ${was.exitCode}`;
    throw new FaultNotProvenError(`SIGKILL to ${name}`, `the container was not running (exited ${was.exitCode})`);
  }
  opts.before?.(was);
  await docker
    .getContainer(name)
    .kill({ signal: 'SIGKILL' })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 409) throw e; // 409: it died between the look and the kill; checked below
    });
  opts.acted?.(Date.now());
  const after = await settles(
    `${name} to stop after SIGKILL`,
    () => mainProcess(docker, name),
    (p) => !p.running,
  );
  if (after.startedAt !== was.startedAt) throw new FaultNotProvenError(`SIGKILL to ${name}`, 'another process ran there meanwhile');
  return `${name}: pid ${was.pid} (started ${was.startedAt}) SIGKILLed, exited ${after.exitCode}`;
}

/** Starts a stopped container again and returns the proof: a new main process, running. */
export async function startContainer(docker: Docker, name: string, acted?: Acted): Promise<string> {
  await docker
    .getContainer(name)
    .start()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) throw new FaultContainerMissingError(name);
      if (e.statusCode !== 304) throw e; // 304: running already
    });
  acted?.(Date.now());
  const now = await settles(
    `${name} to run again`,
    () => mainProcess(docker, name),
    (p) => p.running,
  );
  return `${name}: running again as pid ${now.pid} since ${now.startedAt}`;
}

/** The state letter of a container's pid 1 in /proc (T: stopped by a signal). */
async function pid1State(docker: Docker, name: string): Promise<string> {
  const r = await execIn(docker, name, ['cat', '/proc/1/stat']);
  // "1 (java) T 0 ...": the state follows the command name, which may hold spaces
  const state = /\)\s+([A-Za-z])\s/.exec(r.output)?.[1];
  if (r.code !== 0 || !state) throw new FaultNotProvenError(`reading ${name}'s process state`, r.output.trim().slice(0, 200));
  return state;
}

/**
 * SIGSTOPs a container's main process (the broker's or Connect's JVM is pid 1: start.sh execs it)
 * and returns the proof: the kernel reports it stopped. It answers nothing until continued, as in a
 * long GC pause or on a hung host; unlike a kill, it comes back with the state it had.
 */
export async function pauseContainer(docker: Docker, name: string, acted?: Acted): Promise<string> {
  const was = await mainProcess(docker, name);
  if (!was.running) throw new FaultNotProvenError(`SIGSTOP to ${name}`, `the container was not running (exited ${was.exitCode})`);
  await docker.getContainer(name).kill({ signal: 'SIGSTOP' });
  acted?.(Date.now());
  const state = await settles(
    `${name}'s main process to stop`,
    () => pid1State(docker, name),
    (st) => st === 'T' || st === 't',
  );
  return `${name}: pid ${was.pid} stopped (SIGSTOP; /proc state ${state})`;
}

/** SIGCONTs a container's main process and returns the proof: it runs again (idempotent). */
export async function continueContainer(docker: Docker, name: string, acted?: Acted): Promise<string> {
  const was = await mainProcess(docker, name);
  if (!was.running) throw new FaultNotProvenError(`SIGCONT to ${name}`, `the container is no longer running (exited ${was.exitCode})`);
  await docker.getContainer(name).kill({ signal: 'SIGCONT' });
  acted?.(Date.now());
  const state = await settles(
    `${name}'s main process to continue`,
    () => pid1State(docker, name),
    (st) => st !== 'T' && st !== 't',
  );
  return `${name}: pid ${was.pid} continued (SIGCONT; /proc state ${state})`;
}

/** A process fault's container (one a target file lists) that this Docker host does not have: not retryable. */
export class FaultContainerMissingError extends InvalidInputError {
  constructor(name: string) {
    super(
      `container ${name} named for a fault is not on this Docker host`,
      "list the target's containers as `docker ps` names them (faults in the target file), on the host the worker uses",
    );
  }
}

/** Refuses, before a drill against a target starts, a process fault whose listed container is not on this Docker host. */
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

/** What a link fault touched and what each end of the link showed afterwards. */
export interface LinkChange {
  targets: string[];
  evidence: string[];
}

/**
 * Sets the state of the link between the data centers on each end of it: cut takes the wan
 * interface down (nothing passes), degraded shapes it with netem; undefined gives it back (up, no
 * qdisc). Each end is read back afterwards (its operstate, its qdisc): that is the proof. A link
 * with nothing on it is a fault that hit nothing.
 */
export async function shapeLink(
  docker: Docker,
  labId: string,
  state: 'cut' | Fault['link'] | undefined,
  acted?: Acted,
): Promise<LinkChange> {
  const ends = await wanInterfaces(docker, labId);
  if (ends.length === 0)
    throw new FaultNotProvenError(`shaping ${networkName(labId, 'wan')}`, 'no container is on the link between the data centers');
  // every end changed first, then each read back: both ends change together, and the proof follows
  for (const { container, iface } of ends) {
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
  }
  acted?.(Date.now());
  const out: LinkChange = { targets: [], evidence: [] };
  for (const { container, iface } of ends) {
    const seen = await linkEnd(docker, container, iface);
    const wanted = state === 'cut' ? seen.down : state === undefined ? !seen.down && !seen.netem : seen.netem;
    if (!wanted)
      throw new FaultNotProvenError(`setting ${container}:${iface} ${state === undefined ? 'back' : 'shaped'}`, `it reads ${seen.text}`);
    out.targets.push(`${container}:${iface}`);
    out.evidence.push(`${container}:${iface} ${seen.text}`);
  }
  return out;
}

/** One end of the link as the kernel reports it: its operational state and its root qdisc. */
async function linkEnd(docker: Docker, container: string, iface: string): Promise<{ down: boolean; netem: boolean; text: string }> {
  const oper = (await execIn(docker, container, ['cat', `/sys/class/net/${iface}/operstate`])).output.trim();
  const qdisc = (await execIn(docker, container, ['tc', 'qdisc', 'show', 'dev', iface])).output.split('\n')[0]?.trim() ?? '';
  return { down: oper === 'down', netem: /\bnetem\b/.test(qdisc), text: `${oper}, qdisc ${qdisc || 'none'}` };
}

async function run(docker: Docker, container: string, cmd: string[], harmless?: RegExp): Promise<void> {
  const r = await execIn(docker, container, cmd);
  if (r.code !== 0 && !harmless?.test(r.output)) throw new LinkShapingError(container, `${cmd.join(' ')}: ${r.output.trim()}`);
}

/** Refuses, before a drill starts, a fault this Docker host cannot inject (checked where the host can be read). */
export function checkFaultsCanRun(c: DrillConfig): void {
  const t = c.mode === 'provision' ? drillTopology(c) : undefined;
  const proxied = t !== undefined && !isTopologyProblem(t) && t.wan.proxy;
  if (c.faults.inject.some((f) => f.kind === 'link-degrade') && !proxied && localKernelHasNetem() === false) throw new NetemMissingError();
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

const FILLER = 'lab-disk-full.fill';

/** A broker's small disk and the container that holds it mounted (plan.ts); a lab without it cannot run disk-full. */
export async function diskOf(docker: Docker, labId: string, f: Fault): Promise<{ broker: string; holder: string }> {
  const broker = faultContainer(labId, f);
  const holder = containerName(labId, diskHolderName(brokerNode(f.dataCenter, f.index - 1)));
  if (!(await inspectContainer(docker, holder))) throw new DiskNotCappedError(broker);
  return { broker, holder };
}

/** The small disk as df reports it, from the holder (which runs whether the broker does or not). */
async function diskUsage(docker: Docker, holder: string): Promise<{ availKb: number; text: string }> {
  const r = await execIn(docker, holder, ['df', '-k', DISK_HOLDER_MOUNT]);
  const cols = r.output.trim().split('\n').pop()?.trim().split(/\s+/) ?? [];
  const availKb = Number(cols[3]);
  if (r.code !== 0 || !Number.isFinite(availKb)) throw new FaultNotProvenError(`reading ${holder}'s disk`, r.output.trim().slice(0, 200));
  return { availKb, text: `${cols[1]} KB, ${cols[2]} used, ${cols[3]} free (${cols[4]})` };
}

/**
 * Fills a broker's log directory to the last byte (a file of zeros, written from the disk's
 * holder) and returns the proof: the disk reads full. What the broker does about it (Kafka stops
 * serving a failed log directory, and halts when it has no other) is read when the fault is undone.
 */
export async function fillDisk(docker: Docker, disk: { broker: string; holder: string }, acted?: Acted): Promise<string[]> {
  const was = await mainProcess(docker, disk.broker);
  if (!was.running) throw new FaultNotProvenError(`filling ${disk.broker}'s disk`, `the broker was not running (exited ${was.exitCode})`);
  // cat stops at "No space left on device": that is the point
  await execIn(docker, disk.holder, ['sh', '-c', `cat /dev/zero > ${DISK_HOLDER_MOUNT}/${FILLER} 2>/dev/null; sync`]);
  acted?.(Date.now());
  const seen = await diskUsage(docker, disk.holder);
  if (seen.availKb > 0) throw new FaultNotProvenError(`filling ${disk.broker}'s disk`, `it still has room: ${seen.text}`);
  return [`${disk.broker}: log directory full (${seen.text})`];
}

/**
 * Frees the disk and brings the broker back: started again when it halted, restarted when it is
 * running with its log directory taken offline (Kafka brings a failed directory back only at
 * start-up). Returns what the broker did while the disk was full, and the proof of its return.
 */
export async function freeDisk(docker: Docker, disk: { broker: string; holder: string }, acted?: Acted): Promise<string[]> {
  await execIn(docker, disk.holder, ['rm', '-f', `${DISK_HOLDER_MOUNT}/${FILLER}`]);
  acted?.(Date.now());
  const seen = await diskUsage(docker, disk.holder);
  if (seen.availKb === 0) throw new FaultNotProvenError(`freeing ${disk.broker}'s disk`, `it is still full: ${seen.text}`);
  const evidence = [`${disk.broker}: disk freed (${seen.text})`];
  const now = await mainProcess(docker, disk.broker);
  // the broker's current run (or the one that halted) is the one the full disk hit
  const failure = await logDirFailure(docker, disk.broker, Date.parse(now.startedAt));
  if (!now.running) {
    evidence.push(`${disk.broker} had halted (exited ${now.exitCode})${failure ? `: "${failure}"` : ''}`);
    evidence.push(await startContainer(docker, disk.broker));
  } else if (failure) {
    evidence.push(`${disk.broker} kept running with its log directory offline: "${failure}"`);
    await docker.getContainer(disk.broker).restart({ t: 30 });
    evidence.push(await startContainer(docker, disk.broker));
  } else {
    evidence.push(`${disk.broker} kept running and logged no failed log directory`);
  }
  return evidence;
}

// What Kafka logs when a log directory fails, the most telling first: the halt, the directory
// taken offline, the write that failed.
const LOG_DIR_FAILURE = [
  /all log dirs in .* have failed/,
  /log dir .* is already offline/,
  /No space left on device|Error while appending records/,
];

/** The broker's most telling line about a failed log directory since `sinceMs` (epoch ms), if it logged one. */
async function logDirFailure(docker: Docker, name: string, sinceMs: number): Promise<string | undefined> {
  const buf = (await docker
    .getContainer(name)
    .logs({ stdout: true, stderr: true, since: Math.floor(sinceMs / 1000) - 1 })) as unknown as Buffer;
  const lines = demuxDockerStream(buf).split('\n');
  for (const re of LOG_DIR_FAILURE) {
    const line = lines.find((l) => re.test(l));
    if (line) return line.trim().slice(0, 240);
  }
  return undefined;
}

/** disk-full on a lab whose broker has no small disk of its own: not retryable. */
export class DiskNotCappedError extends InvalidInputError {
  constructor(broker: string) {
    super(
      `${broker} writes into its container, not onto a small disk of its own, so disk-full cannot fill it`,
      'let the drill provision its lab with the fault (`lab down` first, or a new --lab-id): a disk-full drill gives that broker one',
    );
  }
}
