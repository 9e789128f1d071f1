import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OFFICIAL_IMAGES } from '../../infra/images';
import { indexOf } from '../domain/names';
import { CONTAINER_PORTS } from '../domain/ports';
import type { LabTopology } from '../domain/topology';
import { MONITORING_DIR } from '../monitoring/assets';
import { brokerNode, containerName } from './names';
import type { NodeSpec } from './node-spec';

/** The chapter's viewing tools, which only exist as images: Grafana, Kibana and a Kafka management UI. */
export const EXTRA_PORTS = { grafana: 3000, kibana: 5601, kafkaUi: 8080 } as const;
export const EXTRA_HOST_PORTS = { grafana: 13000, kibana: 15601, kafkaUi: 18080 } as const;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * With official images, the lab also gets Grafana (the project's dashboards and Prometheus
 * provisioned), Kibana (a data view on the index consumer-2 writes, created after start) and
 * kafbat/kafka-ui for both clusters, Connect and the registry: the chapter's 12.1 picture.
 */
export function officialExtras(t: LabTopology, net: { upstream: string; downstream: string }, schemaRegistryPath: string): NodeSpec[] {
  const dashboards = readdirSync(join(MONITORING_DIR, 'grafana')).filter((f) => f.endsWith('.json'));
  const bootstrap = (dc: 'upstream' | 'downstream') =>
    range(t.brokersPerCluster[dc])
      .map((i) => `${brokerNode(dc, i)}:${CONTAINER_PORTS.kafkaInternal}`)
      .join(',');
  const node = (
    name: string,
    image: string,
    port: number,
    host: number,
    networks: string[],
    env: Record<string, string>,
    files: NodeSpec['files'] = [],
  ): NodeSpec => ({
    node: name,
    role: 'viewer',
    containerName: containerName(t.labId, name),
    image,
    env,
    networks,
    files,
    ports: [{ container: port, host: host + t.portOffset }],
  });
  const sr = `http://schema-registry:${CONTAINER_PORTS.schemaRegistry}${schemaRegistryPath}`;
  return [
    node(
      'grafana',
      OFFICIAL_IMAGES.grafana,
      EXTRA_PORTS.grafana,
      EXTRA_HOST_PORTS.grafana,
      [net.downstream],
      {
        GF_AUTH_ANONYMOUS_ENABLED: 'true',
        GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      },
      [
        {
          path: '/etc/grafana/provisioning/datasources/kafka-lab.yml',
          content: `apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: prometheus\n    type: prometheus\n    url: http://prometheus:${CONTAINER_PORTS.prometheus}\n    isDefault: true\n`,
        },
        {
          path: '/etc/grafana/provisioning/dashboards/kafka-lab.yml',
          content:
            'apiVersion: 1\nproviders:\n  - name: kafka-lab\n    folder: Kafka lab\n    type: file\n    options:\n      path: /var/lib/grafana/dashboards/kafka-lab\n',
        },
        ...dashboards.map((f) => ({
          path: `/var/lib/grafana/dashboards/kafka-lab/${f}`,
          content: readFileSync(join(MONITORING_DIR, 'grafana', f), 'utf8'),
        })),
      ],
    ),
    node('kibana', OFFICIAL_IMAGES.kibana, EXTRA_PORTS.kibana, EXTRA_HOST_PORTS.kibana, [net.downstream], {
      ELASTICSEARCH_HOSTS: `http://elasticsearch:${CONTAINER_PORTS.elasticsearch}`,
    }),
    node('kafka-ui', OFFICIAL_IMAGES['kafka-ui'], EXTRA_PORTS.kafkaUi, EXTRA_HOST_PORTS.kafkaUi, [net.upstream, net.downstream], {
      KAFKA_CLUSTERS_0_NAME: 'upstream',
      KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: bootstrap('upstream'),
      KAFKA_CLUSTERS_0_SCHEMAREGISTRY: sr,
      KAFKA_CLUSTERS_1_NAME: 'downstream',
      KAFKA_CLUSTERS_1_BOOTSTRAPSERVERS: bootstrap('downstream'),
      KAFKA_CLUSTERS_1_SCHEMAREGISTRY: sr,
      KAFKA_CLUSTERS_1_KAFKACONNECT_0_NAME: 'mirror-maker-2',
      KAFKA_CLUSTERS_1_KAFKACONNECT_0_ADDRESS: `http://connect-1:${CONTAINER_PORTS.connect}`,
    }),
  ];
}

/** Kibana's data view on the index consumer-2 writes, created through Kibana's API once it answers. */
export function kibanaDataView(topic: string) {
  const index = indexOf(topic);
  return { data_view: { title: index, name: `Chapter 12 students (${index})` } };
}
