import { DR_REGISTRY, scramPassword, type LabPlan } from '../plan';
import { publishedHost } from '../../domain/published-host';
import type { Probe } from './probe';
import { appProbe, connectProbe, httpOkProbe, elasticsearchProbe, kafkaProbe, prometheusProbe, schemaRegistryProbe } from './probes';

/** One thing to check: a probe through the component's own API and the containers behind it. */
export interface HealthCheck {
  component: string;
  role: string;
  endpoint: string;
  containers: string[];
  probe: Probe;
  timeoutMs: number;
  /** Checked after the others are healthy (Prometheus needs its targets up first). */
  last?: boolean;
}

export function healthChecks(plan: LabPlan): HealthCheck[] {
  const { endpoints: e, nodes, topology: t } = plan;
  const checks: HealthCheck[] = [];
  for (const dc of ['upstream', 'downstream'] as const) {
    checks.push({
      component: `${dc}-kafka`,
      role: 'kafka',
      endpoint: e.clusters[dc].bootstrap.join(','),
      containers: nodes.filter((n) => n.role === 'broker' && n.dc === dc).map((n) => n.containerName),
      probe: kafkaProbe(
        e.clusters[dc].bootstrap,
        t.brokersPerCluster[dc],
        t.kafkaSecurity === 'scram' ? { sasl: { mechanism: 'scram-sha-512', username: t.scramUser, password: scramPassword() } } : {},
      ),
      // As long as Connect's: a broker starts two JVMs (format, then the broker), and on a shared
      // 2-core machine under load a Kafka 4.3 broker was seen to need more than 150 s.
      timeoutMs: 240_000,
    });
  }
  nodes
    .filter((n) => n.role === 'connect')
    .forEach((n, i) =>
      checks.push({
        component: n.node,
        role: 'connect',
        endpoint: e.connect.urls[i],
        containers: [n.containerName],
        probe: connectProbe(e.connect.urls[i]),
        timeoutMs: 240_000,
      }),
    );
  const single = (role: string, url: string | undefined, probe: (u: string) => Probe, timeoutMs: number, last = false) => {
    const n = nodes.find((x) => x.role === role);
    if (n && url)
      checks.push({ component: n.node, role, endpoint: url, containers: [n.containerName], probe: probe(url), timeoutMs, last });
  };
  single('link-proxy', e.linkProxy?.apiUrl, (u) => httpOkProbe('Toxiproxy', `${u}/version`), 60_000);
  single('schema-registry', e.schemaRegistry?.url, schemaRegistryProbe, 180_000);
  const dr = nodes.find((x) => x.node === DR_REGISTRY);
  if (dr && e.schemaRegistryDr)
    checks.push({
      component: dr.node,
      role: 'schema-registry',
      endpoint: e.schemaRegistryDr.url,
      containers: [dr.containerName],
      probe: schemaRegistryProbe(e.schemaRegistryDr.url),
      timeoutMs: 180_000,
    });
  single('elasticsearch', e.elasticsearch?.url, elasticsearchProbe, 240_000);
  for (const n of nodes.filter((x) => x.role === 'app')) {
    const url = `http://${publishedHost(t.bindAddress)}:${n.ports[0].host}`;
    checks.push({ component: n.node, role: 'app', endpoint: url, containers: [n.containerName], probe: appProbe(url), timeoutMs: 60_000 });
  }
  const viewerPaths: Record<string, string> = { grafana: '/api/health', kibana: '/api/status', 'kafka-ui': '/actuator/health' };
  for (const n of nodes.filter((x) => x.role === 'viewer')) {
    const url = `http://${publishedHost(t.bindAddress)}:${n.ports[0].host}`;
    checks.push({
      component: n.node,
      role: 'viewer',
      endpoint: url,
      containers: [n.containerName],
      probe: httpOkProbe(n.node, `${url}${viewerPaths[n.node] ?? '/'}`),
      timeoutMs: 240_000,
    });
  }
  const apps = nodes.filter((x) => x.role === 'app').length;
  const targets = t.brokersPerCluster.upstream + t.brokersPerCluster.downstream + t.connect.workers + apps;
  single('prometheus', e.prometheus?.url, (u) => prometheusProbe(u, targets), 120_000, true);
  return checks;
}
