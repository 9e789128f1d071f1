import { imageFor } from '../../infra/images';
import { bundlePath, type AppName } from '../apps/bundle';
import { APP_GROUPS, indexOf } from '../domain/names';
import { CONTAINER_PORTS, HOST_PORT_BASE } from '../domain/ports';
import type { ImageSource } from '../domain/topology';
import { containerName } from './names';
import type { NodeSpec } from './node-spec';

export interface AppsPlanInput {
  labId: string;
  images: ImageSource;
  topic: string;
  mirroredTopic: string;
  /** A disaster drill's topic on the DR side (written there after a failover): consumer-2 indexes it too. */
  drTopic?: string;
  /** A disaster drill's lab: consumer-2 decodes through the DR data center's own registry. */
  drSchemaRegistryUrl?: string;
  /** Addresses as the apps see them. */
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  schemaRegistryUrl: string;
  elasticsearchUrl: string;
  /** Lab networks per side; absent means the host network (attach mode). */
  networks?: { upstream: string; downstream: string };
  portOffset: number;
}

/** consumer-1 next to the upstream cluster, consumer-2 next to downstream and Elasticsearch. */
export function planApps(p: AppsPlanInput): NodeSpec[] {
  const app = (node: AppName, i: number, dc: 'upstream' | 'downstream', env: Record<string, string>): NodeSpec => {
    // On the host network (attach mode) the apps listen next to, not on, a local lab's published ports.
    const metricsPort = p.networks ? CONTAINER_PORTS.appMetrics : HOST_PORT_BASE.apps + 50 + p.portOffset + i;
    return {
      node,
      role: 'app',
      dc,
      containerName: containerName(p.labId, node),
      image: imageFor(p.images, 'node'),
      cmd: ['node', '/app/app.js'],
      env: {
        LAB_APP: node,
        LAB_SCHEMA_REGISTRY_URL: p.schemaRegistryUrl,
        LAB_METRICS_PORT: String(metricsPort),
        LAB_METRICS_HOST: p.networks ? '0.0.0.0' : '127.0.0.1',
        ...env,
      },
      networks: p.networks ? [p.networks[dc]] : [],
      ports: p.networks ? [{ container: CONTAINER_PORTS.appMetrics, host: HOST_PORT_BASE.apps + p.portOffset + i }] : [],
      files: [{ path: '/app/app.js', hostPath: bundlePath(node) }],
    };
  };
  return [
    app('consumer-1', 0, 'upstream', {
      LAB_BOOTSTRAP: p.upstreamBootstrap.join(','),
      LAB_TOPIC: p.topic,
      LAB_GROUP: APP_GROUPS['consumer-1'],
    }),
    app('consumer-2', 1, 'downstream', {
      LAB_BOOTSTRAP: p.downstreamBootstrap.join(','),
      // under IdentityReplicationPolicy the DR topic is the mirrored one
      LAB_TOPIC: p.drTopic && p.drTopic !== p.mirroredTopic ? `${p.mirroredTopic},${p.drTopic}` : p.mirroredTopic,
      LAB_GROUP: APP_GROUPS['consumer-2'],
      LAB_ELASTICSEARCH_URL: p.elasticsearchUrl,
      ...(p.drSchemaRegistryUrl ? { LAB_SCHEMA_REGISTRY_URL: p.drSchemaRegistryUrl } : {}),
      LAB_INDEX: indexOf(p.topic),
    }),
  ];
}
