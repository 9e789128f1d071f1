import { CONTAINER_PORTS } from '../../domain/ports';
import type { LabTopology } from '../../domain/topology';
import { brokerNode, connectNode } from '../names';

/** prometheus.yml: one job per cluster and one for the Connect workers, all through the JMX exporter. */
export function prometheusConfig(t: LabTopology): string {
  const port = CONTAINER_PORTS.jmxExporter;
  const job = (name: string, cluster: string, targets: string[]) =>
    [
      `  - job_name: ${name}`,
      `    static_configs:`,
      `      - targets: [${targets.map((x) => `'${x}:${port}'`).join(', ')}]`,
      `        labels: { cluster: ${cluster}, lab: ${t.labId} }`,
    ].join('\n');
  const brokers = (dc: 'upstream' | 'downstream') =>
    Array.from({ length: t.brokersPerCluster[dc] }, (_, i) => brokerNode(dc, i));
  const workers = Array.from({ length: t.connect.workers }, (_, i) => connectNode(i));
  return [
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    'scrape_configs:',
    job('kafka-upstream', 'upstream', brokers('upstream')),
    job('kafka-downstream', 'downstream', brokers('downstream')),
    job('connect', t.connect.placement, workers),
    '',
  ].join('\n');
}
