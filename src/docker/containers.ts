import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { ImageMissingError, PortInUseError } from '../errors';
import { LABELS } from '../lab/names';
import { labLabels } from './labels';
import type { NodeSpec } from '../lab/node-spec';
import { packFiles } from './archive';
import { demuxDockerStream } from './demux';
import { isNotFound } from './docker-client';
import { maxOffsetBelow } from '../domain/ports';
import { ephemeralPortRange, isPortFree } from './ports';

export type EnsureResult = 'created' | 'started' | 'reused' | 'recreated';

/** A digest of everything that makes a container what it is; a changed spec means a new container. */
export function specHash(spec: NodeSpec): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ ...spec, files: undefined }));
  for (const f of spec.files) h.update(f.path).update(f.secret ? 'secret' : f.hostPath ? readFileSync(f.hostPath) : (f.content ?? ''));
  return h.digest('hex').slice(0, 16);
}

export async function inspectContainer(docker: Docker, name: string): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Makes sure the node's container exists and runs. A retried activity finds the container it
 * created the first time and reuses it, so this is safe to call any number of times.
 */
export async function ensureNodeContainer(
  docker: Docker,
  spec: NodeSpec,
  opts: { labels: Record<string, string>; bindAddress: string; imageSource: string },
): Promise<EnsureResult> {
  const hash = specHash(spec);
  const existing = await inspectContainer(docker, spec.containerName);
  let recreated = false;
  if (existing && existing.Config.Labels?.[LABELS.specHash] !== hash) {
    await docker.getContainer(spec.containerName).remove({ force: true, v: true });
    recreated = true;
  } else if (existing) {
    // a disaster drill cuts a site off the link for good: a kept lab comes back whole
    const on = Object.keys(existing.NetworkSettings.Networks ?? {});
    for (const net of spec.networks.filter((n) => !on.includes(n)))
      await docker.getNetwork(net).connect({ Container: existing.Id, EndpointConfig: { Aliases: [spec.node] } });
    if (existing.State.Running) return 'reused';
    await docker.getContainer(spec.containerName).start();
    return 'started';
  }
  try {
    await docker.getImage(spec.image).inspect();
  } catch (e) {
    if (isNotFound(e)) throw new ImageMissingError(spec.image, opts.imageSource);
    throw e;
  }
  for (const p of spec.ports) {
    if (!(await isPortFree(opts.bindAddress, p.host))) {
      const range = ephemeralPortRange();
      throw new PortInUseError(opts.bindAddress, p.host, spec.node, range && { ...range, maxOffset: maxOffsetBelow(range.from) });
    }
  }
  for (const m of spec.mounts ?? []) await ensureTmpfsVolume(docker, m, opts.labels);
  // No networks: the host network (the apps in attach mode reach the user's clusters as the host does).
  const [firstNet = 'host', ...otherNets] = spec.networks;
  const container = await docker.createContainer({
    name: spec.containerName,
    Hostname: spec.node,
    Image: spec.image,
    Entrypoint: spec.entrypoint,
    Cmd: spec.cmd,
    User: spec.user,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...opts.labels,
      [LABELS.specHash]: hash,
      [LABELS.node]: spec.node,
      [LABELS.role]: spec.role,
      ...(spec.dc ? { [LABELS.dataCenter]: spec.dc } : {}),
    },
    ExposedPorts: Object.fromEntries(spec.ports.map((p) => [`${p.container}/tcp`, {}])),
    HostConfig: {
      NetworkMode: firstNet,
      PortBindings: Object.fromEntries(
        spec.ports.map((p) => [`${p.container}/tcp`, [{ HostIp: opts.bindAddress, HostPort: String(p.host) }]]),
      ),
      CapAdd: spec.capAdd,
      Mounts: spec.mounts?.map((m) => ({ Type: 'volume' as const, Source: m.volume, Target: m.target })),
    },
    NetworkingConfig: spec.networks.length ? { EndpointsConfig: { [firstNet]: { Aliases: [spec.node] } } } : undefined,
  });
  for (const net of otherNets) {
    await docker.getNetwork(net).connect({ Container: container.id, EndpointConfig: { Aliases: [spec.node] } });
  }
  if (spec.files.length > 0) await container.putArchive(packFiles(spec.files), { path: '/' });
  await container.start();
  return recreated ? 'recreated' : 'created';
}

/**
 * A size-capped tmpfs volume of the lab (a small disk of its own). Creating one that exists is a
 * no-op; its content lives while any container mounts it.
 */
async function ensureTmpfsVolume(
  docker: Docker,
  m: NonNullable<NodeSpec['mounts']>[number],
  labels: Record<string, string>,
): Promise<void> {
  await docker.createVolume({
    Name: m.volume,
    Driver: 'local',
    DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${m.sizeMb}m` },
    Labels: labLabels(labels[LABELS.labId]),
  });
}

/** The last lines a container printed, to explain why it died. */
export async function containerLogTail(docker: Docker, name: string, lines = 5): Promise<string> {
  try {
    const buf = (await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines })) as unknown as Buffer;
    return demuxDockerStream(buf).trim();
  } catch {
    return '';
  }
}
