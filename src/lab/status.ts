import { DEFAULT_KAFKA_VERSION } from '../../infra/images';
import type Docker from 'dockerode';
import { inspectContainer } from '../docker/containers';
import { labFilter } from '../docker/labels';
import type { ComponentStatus, LabEndpoints } from '../domain/endpoints';
import type { LabTopology } from '../domain/topology';
import { healthChecks } from './health/checks';
import { safeProbe } from './health/probe';
import { LABELS } from './names';
import { planLab } from './plan';

export interface LabStatus {
  labId: string;
  state: 'up' | 'degraded' | 'down';
  topology?: LabTopology;
  endpoints?: LabEndpoints;
  components: ComponentStatus[];
}

/** The topology a running lab was provisioned with, read back from its container labels. */
export async function findLabTopology(docker: Docker, labId: string): Promise<LabTopology | undefined> {
  const containers = await docker.listContainers({ all: true, filters: labFilter(labId) });
  const label = containers.map((c) => c.Labels[LABELS.topology]).find(Boolean);
  if (!label) return undefined;
  // a lab provisioned before Kafka versions (or the link) were settings ran the default version on a plain bridge
  const t = JSON.parse(label) as Omit<LabTopology, 'kafkaVersion' | 'wan'> & Partial<Pick<LabTopology, 'kafkaVersion' | 'wan'>>;
  return { ...t, kafkaVersion: t.kafkaVersion ?? DEFAULT_KAFKA_VERSION, wan: t.wan ?? { proxy: false } };
}

/** One probe per component, no waiting: what `lab status` shows. */
export async function labStatus(docker: Docker, labId: string): Promise<LabStatus> {
  const topology = await findLabTopology(docker, labId);
  if (!topology) return { labId, state: 'down', components: [] };
  const plan = planLab(topology);
  const components = await Promise.all(
    healthChecks(plan).map(async (c): Promise<ComponentStatus> => {
      for (const name of c.containers) {
        const info = await inspectContainer(docker, name);
        if (!info)
          return { component: c.component, role: c.role, container: name, endpoint: c.endpoint, health: 'missing', detail: 'no container' };
        if (!info.State.Running) {
          return {
            component: c.component,
            role: c.role,
            container: name,
            endpoint: c.endpoint,
            health: 'unhealthy',
            detail: `container ${info.State.Status}`,
          };
        }
      }
      const r = await safeProbe(c.probe);
      return {
        component: c.component,
        role: c.role,
        container: c.containers.join(','),
        endpoint: c.endpoint,
        health: r.ok ? 'healthy' : 'unhealthy',
        detail: r.detail,
      };
    }),
  );
  const state = components.every((c) => c.health === 'healthy') ? 'up' : 'degraded';
  return { labId, state, topology, endpoints: plan.endpoints, components };
}
