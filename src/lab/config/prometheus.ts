import { CONTAINER_PORTS } from '../../domain/ports';
import type { DataCenter, LabTopology } from '../../domain/topology';
import { brokerNode, connectNode } from '../names';

/** Where the lab's Prometheus reads infra/monitoring/prometheus/alerts.yml. */
export const ALERTS_PATH = '/etc/kafka-lab/alerts.yml';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * prometheus.yml: one job per cluster and one for the Connect workers (all through the JMX
 * exporter), and one for the chapter's apps (their own /metrics: records and consumer lag).
 */
export function prometheusConfig(t: LabTopology): string {
  const group = (cluster: DataCenter, hosts: string[], port: number) =>
    [
      `      - targets: [${hosts.map((h) => `'${h}:${port}'`).join(', ')}]`,
      `        labels: { cluster: ${cluster}, lab: ${t.labId} }`,
    ].join('\n');
  const job = (name: string, groups: string[]) => [`  - job_name: ${name}`, '    static_configs:', ...groups].join('\n');
  const jmx = CONTAINER_PORTS.jmxExporter;
  const brokers = (dc: DataCenter) => range(t.brokersPerCluster[dc]).map((i) => brokerNode(dc, i));
  const jobs = [
    job('kafka-upstream', [group('upstream', brokers('upstream'), jmx)]),
    job('kafka-downstream', [group('downstream', brokers('downstream'), jmx)]),
    job('connect', [group(t.connect.placement, range(t.connect.workers).map(connectNode), jmx)]),
  ];
  if (t.components.includes('apps')) {
    const port = CONTAINER_PORTS.appMetrics;
    jobs.push(job('apps', [group('upstream', ['consumer-1'], port), group('downstream', ['consumer-2'], port)]));
  }
  return [
    'global:',
    // Every 2 s: a drill's last look at the metrics waits for the scrape after its last record, and
    // the exporters only read the MBeans their rules use (infra/config/jmx), so a scrape is cheap.
    '  scrape_interval: 2s',
    '  evaluation_interval: 5s',
    'rule_files:',
    `  - ${ALERTS_PATH}`,
    'scrape_configs:',
    ...jobs,
    '',
  ].join('\n');
}
