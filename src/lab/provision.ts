import type Docker from 'dockerode';
import { bundleApps } from '../apps/bundle';
import { httpJson } from '../clients/http';
import { ServiceUnreachableError } from '../errors';
import { ensureNodeContainer, inspectContainer, specHash } from '../docker/containers';
import { labLabels } from '../docker/labels';
import { ensureNetwork } from '../docker/networks';
import type { ComponentStatus, LabEndpoints } from '../domain/endpoints';
import type { LabTopology } from '../domain/topology';
import { ensureLabImages } from '../images/build-images';
import { healthChecks, type HealthCheck } from './health/checks';
import { LABELS } from './names';
import type { NodeSpec } from './node-spec';
import { kibanaDataView } from './official-extras';
import { shapeLinkProxy, type LinkShape } from './link-proxy';
import { planLab } from './plan';
import { teardownLab } from './teardown';
import { waitHealthy } from './wait';

export interface ProvisionOptions {
  log: (line: string) => void;
  /** Called while waiting, so a Temporal activity can heartbeat. */
  onProgress?: (detail: string) => void;
  /** Keep what was created when provisioning fails (default: tear it all down). */
  keepOnFailure?: boolean;
  /** An activity's cancellation: provisioning stops between containers and while it waits. */
  signal?: AbortSignal;
}

export interface ProvisionResult {
  endpoints: LabEndpoints;
  components: ComponentStatus[];
  created: number;
  reused: number;
  seconds: number;
  /** The link proxy's shape, read back (labs with the proxy): the standing WAN profile, or a plain link. */
  link?: LinkShape;
}

/**
 * Brings a lab up and waits until every component answers through its own API. Idempotent:
 * a second call (a retried activity, `lab up` twice) reuses what exists.
 */
export async function provisionLab(docker: Docker, t: LabTopology, opts: ProvisionOptions): Promise<ProvisionResult> {
  const start = Date.now();
  const plan = planLab(t);
  // the apps' bundle is needed only when their containers are created; the JVMs start meanwhile
  const bundled = t.components.includes('apps') ? bundleApps() : Promise.resolve();
  // its failure surfaces where the apps' containers await it, not as an unhandled rejection before
  bundled.catch(() => undefined);
  const labels = labLabels(t.labId, { [LABELS.topology]: JSON.stringify(t) });
  let created = 0;
  let reused = 0;
  // Only the images labs ask for are built (setup builds the default Kafka version's).
  if (t.images === 'built')
    await ensureLabImages(
      docker,
      plan.nodes.map((n) => n.image),
      t.kafkaVersion,
      opts.log,
    );
  // A broker recreated alone would rejoin its cluster with an empty log (a KRaft voter that lost
  // its metadata): when a kept lab's brokers change, the lab is built again from nothing.
  const changed = await changedBrokers(docker, plan.nodes);
  if (changed.length > 0) {
    opts.log(`lab ${t.labId}: its brokers changed (${changed.join(', ')}); building it again from nothing`);
    await teardownLab(docker, t.labId);
  }
  try {
    for (const net of plan.networks) {
      const r = await ensureNetwork(docker, net, labels);
      opts.log(`network ${net}: ${r}`);
    }
    const ensure = async (node: NodeSpec) => {
      opts.signal?.throwIfAborted();
      if (node.role === 'app') await bundled;
      const r = await ensureNodeContainer(docker, node, { labels, bindAddress: t.bindAddress, imageSource: t.images });
      if (r === 'reused') reused++;
      else created++;
      opts.log(`container ${node.containerName}: ${r}`);
    };
    // Elasticsearch is the last to be healthy, so its container starts first (asked for with the
    // others, it was often the engine's last, a second later); then all the others at once.
    // Every creation settles before a failure tears the lab down, so none is left behind.
    const slowest = plan.nodes.filter((n) => n.role === 'elasticsearch');
    const results = await Promise.allSettled(slowest.map(ensure));
    if (!results.some((r) => r.status === 'rejected'))
      results.push(...(await Promise.allSettled(plan.nodes.filter((n) => !slowest.includes(n)).map(ensure))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const checks = healthChecks(plan);
    const components: ComponentStatus[] = [];
    const wait = async (c: HealthCheck) => {
      const detail = await waitHealthy(docker, c, opts.onProgress, undefined, opts.signal);
      opts.log(`${c.component} healthy: ${detail}`);
      components.push({
        component: c.component,
        role: c.role,
        container: c.containers.join(','),
        endpoint: c.endpoint,
        health: 'healthy',
        detail,
      });
    };
    await Promise.all(checks.filter((c) => !c.last).map(wait));
    for (const r of [plan.endpoints.schemaRegistry, plan.endpoints.schemaRegistryDr]) if (r) await setDefaultCompatibility(r.url);
    for (const c of checks.filter((x) => x.last)) await wait(c);
    if (plan.nodes.some((n) => n.node === 'kibana')) await createKibanaDataView(plan.nodes, t);
    // the standing WAN from the start (set again on a reused lab: a fault left over is undone too)
    const link = plan.endpoints.linkProxy ? await shapeLinkProxy(plan.endpoints.linkProxy, t.wan.profile) : undefined;
    if (link) opts.log(`link: ${link.evidence.join('; ')}`);
    return { endpoints: plan.endpoints, components, created, reused, seconds: (Date.now() - start) / 1000, ...(link ? { link } : {}) };
  } catch (e) {
    if (!opts.keepOnFailure) {
      opts.log(`provisioning failed, tearing lab ${t.labId} down`);
      await teardownLab(docker, t.labId).catch(() => undefined);
    }
    throw e;
  }
}

/** The brokers (and their disks) of an existing lab whose container differs from the plan's. */
async function changedBrokers(docker: Docker, nodes: NodeSpec[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of nodes.filter((x) => x.role === 'broker' || x.role === 'disk')) {
    const hash = (await inspectContainer(docker, n.containerName))?.Config.Labels?.[LABELS.specHash];
    if (hash !== undefined && hash !== specHash(n)) out.push(n.node);
  }
  return out;
}

/** The index consumer-2 writes, as a Kibana data view (the chapter's "check Kibana"). Idempotent. */
async function createKibanaDataView(nodes: NodeSpec[], t: LabTopology): Promise<void> {
  const kibana = nodes.find((n) => n.node === 'kibana')!;
  const url = `http://127.0.0.1:${kibana.ports[0].host}/api/data_views/data_view`;
  const res = await httpJson('Kibana', url, {
    method: 'POST',
    body: { ...kibanaDataView(t.appTopic), override: true },
    headers: { 'kbn-xsrf': 'kafka-lab' },
  });
  if (res.status >= 300) throw new ServiceUnreachableError('Kibana', url, `creating the data view answered HTTP ${res.status}`);
}

/** The chapter relies on BACKWARD compatibility; Apicurio's default is NONE, so it is set explicitly. */
async function setDefaultCompatibility(url: string): Promise<void> {
  const res = await httpJson('Schema Registry', `${url}/config`, { method: 'PUT', body: { compatibility: 'BACKWARD' } });
  if (res.status >= 300)
    throw new ServiceUnreachableError(
      'Schema Registry',
      url,
      `setting BACKWARD compatibility answered HTTP ${res.status} ${JSON.stringify(res.body)}`,
    );
}
