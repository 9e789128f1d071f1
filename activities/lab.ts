import { httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import { connectDocker } from '../src/docker/docker-client';
import { drillTopology } from '../src/domain/drill-lab';
import { targetEndpoints } from '../src/domain/target-endpoints';
import { isTopologyProblem } from '../src/domain/resolve-topology';
import { InvalidTopologyError, ServiceUnreachableError, TeardownIncompleteError } from '../src/errors';
import { safeProbe } from '../src/lab/health/probe';
import { connectProbe, elasticsearchProbe, kafkaProbe, prometheusProbe, schemaRegistryProbe } from '../src/lab/health/probes';
import { provisionLab } from '../src/lab/provision';
import { labLeftovers, teardownLab } from '../src/lab/teardown';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { LabInput, ProvisionOutput, TeardownResult } from '../src/contracts/lab';

/** Brings the drill's lab up (or reuses it); the apps consume the drill's topic. */
export async function provisionDrillLab(input: LabInput): Promise<ProvisionOutput> {
  const c = input.config;
  const t = drillTopology(c);
  if (isTopologyProblem(t)) throw new InvalidTopologyError(t.problem, t.fix);
  const docker = await connectDocker();
  return withHeartbeat(async (progress, signal) => {
    const r = await provisionLab(docker, t, { log: progress, onProgress: progress, signal });
    const endpoints =
      r.link && r.endpoints.linkProxy
        ? {
            ...r.endpoints,
            linkProxy: { ...r.endpoints.linkProxy, roundTripMs: r.link.roundTripMs, ...(t.wan.profile ? { profile: t.wan.profile } : {}) },
          }
        : r.endpoints;
    return { endpoints, created: r.created, reused: r.reused, components: r.components.length };
  });
}

/** Attach mode: checks once that every given endpoint answers, and returns them as endpoints. */
export async function attachTarget(input: LabInput): Promise<ProvisionOutput> {
  const t = input.config.target!;
  const e = targetEndpoints(t, input.config.labId);
  const a = t.access;
  const probes: [string, string, () => Promise<{ ok: boolean; detail: string }>][] = [
    ['upstream Kafka', t.upstreamBootstrap.join(','), kafkaProbe(t.upstreamBootstrap, 1, kafkaAccessOptions(a?.upstream, 'upstream'))],
    [
      'downstream Kafka',
      t.downstreamBootstrap.join(','),
      kafkaProbe(t.downstreamBootstrap, 1, kafkaAccessOptions(a?.downstream, 'downstream')),
    ],
    ['Kafka Connect', t.connectUrl, connectProbe(t.connectUrl, httpAuthHeaders(a?.connect, 'Connect'))],
    [
      'Schema Registry',
      t.schemaRegistryUrl,
      schemaRegistryProbe(t.schemaRegistryUrl, httpAuthHeaders(a?.schemaRegistry, 'Schema Registry')),
    ],
    ['Elasticsearch', t.elasticsearchUrl, elasticsearchProbe(t.elasticsearchUrl, httpAuthHeaders(a?.elasticsearch, 'Elasticsearch'))],
    ['Prometheus', t.prometheusUrl, prometheusProbe(t.prometheusUrl, 1, httpAuthHeaders(a?.prometheus, 'Prometheus'))],
  ];
  for (const [service, endpoint, probe] of probes) {
    const r = await safeProbe(probe);
    if (!r.ok) throw new ServiceUnreachableError(service, endpoint, r.detail);
  }
  return { endpoints: e, created: 0, reused: 0, components: probes.length };
}

/** Removes the lab (or the drill's apps) and proves it: whatever is still there fails the step, by name. */
export async function teardownDrillLab(input: { labId: string }): Promise<TeardownResult> {
  const docker = await connectDocker();
  const removed = await teardownLab(docker, input.labId);
  const left = await labLeftovers(docker, input.labId);
  if (left.containers.length + left.networks.length + left.volumes.length > 0) throw new TeardownIncompleteError(input.labId, left);
  return removed;
}
