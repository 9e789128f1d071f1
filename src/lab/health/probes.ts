import { httpJson } from '../../clients/http';
import type { KafkaConfig } from 'kafkajs';
import { kafkaClient } from '../../clients/kafka';
import { healthy, notYet, type Probe } from './probe';

/** Every broker registered and a controller elected, seen through the cluster's own metadata. */
export const kafkaProbe =
  (bootstrap: string[], expectedBrokers: number, extra: Partial<KafkaConfig> = {}): Probe =>
  async () => {
    const admin = kafkaClient(bootstrap, 'kafka-lab-probe', { retry: { retries: 0 }, ...extra }).admin();
    try {
      await admin.connect();
      const c = await admin.describeCluster();
      if (c.brokers.length < expectedBrokers) return notYet(`${c.brokers.length}/${expectedBrokers} brokers registered`);
      if (c.controller === null || c.controller < 0) return notYet('no active controller');
      return healthy(`${c.brokers.length} brokers, controller ${c.controller}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };

export const MIRROR_MAKER_CLASSES = [
  'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
  'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
];

/** The worker's REST API answers and lists the MirrorMaker 2 connector classes. */
export const connectProbe =
  (url: string, headers: Record<string, string> = {}): Probe =>
  async () => {
    const res = await httpJson<{ class: string }[]>('Kafka Connect', `${url}/connector-plugins`, { headers });
    if (res.status !== 200 || !Array.isArray(res.body)) return notYet(`GET /connector-plugins answered ${res.status}`);
    const classes = res.body.map((p) => p.class);
    const missing = MIRROR_MAKER_CLASSES.filter((c) => !classes.includes(c));
    if (missing.length) return notYet(`missing connector classes ${missing.join(', ')}`);
    return healthy(`${classes.length} connector plugins, MirrorMaker 2 included`);
  };

export const schemaRegistryProbe =
  (url: string, headers: Record<string, string> = {}): Probe =>
  async () => {
    const res = await httpJson<string[]>('Schema Registry', `${url}/subjects`, { headers });
    if (res.status !== 200 || !Array.isArray(res.body)) return notYet(`GET /subjects answered ${res.status}`);
    const config = await httpJson<{ compatibilityLevel?: string; compatibility?: string }>('Schema Registry', `${url}/config`, { headers });
    const level = config.body?.compatibilityLevel ?? config.body?.compatibility ?? 'unknown';
    return healthy(`${res.body.length} subjects, compatibility ${level}`);
  };

export const elasticsearchProbe =
  (url: string, headers: Record<string, string> = {}): Probe =>
  async () => {
    const res = await httpJson<{ status?: string; number_of_nodes?: number }>('Elasticsearch', `${url}/_cluster/health`, { headers });
    const status = res.body?.status;
    if (res.status !== 200 || (status !== 'green' && status !== 'yellow')) return notYet(`cluster health ${status ?? res.status}`);
    return healthy(`cluster ${status}, ${res.body.number_of_nodes} node(s)`);
  };

/** Any HTTP service that answers 200 on its health path (Grafana, Kibana, the Kafka UI). */
export const httpOkProbe =
  (service: string, url: string): Probe =>
  async () => {
    const res = await httpJson(service, url);
    return res.status === 200 ? healthy(`${service} answers`) : notYet(`${url} answered ${res.status}`);
  };

/** A chapter app serves its /metrics (it may still be waiting for its topic). */
export const appProbe =
  (url: string): Probe =>
  async () => {
    const res = await httpJson<string>('app', `${url}/metrics`);
    if (res.status !== 200) return notYet(`GET /metrics answered ${res.status}`);
    const records = /kafka_lab_app_records_total\{[^}]*\} (\d+)/.exec(String(res.body))?.[1] ?? '0';
    return healthy(`serving metrics, ${records} records handled`);
  };

interface TargetsBody {
  data?: { activeTargets?: { health: string; scrapeUrl: string; lastError?: string }[] };
}

/** Every scrape target (brokers and Connect workers) is up. */
export const prometheusProbe =
  (url: string, expectedTargets: number, headers: Record<string, string> = {}): Probe =>
  async () => {
    const res = await httpJson<TargetsBody>('Prometheus', `${url}/api/v1/targets`, { headers });
    const targets = res.body?.data?.activeTargets ?? [];
    const down = targets.filter((t) => t.health !== 'up');
    if (targets.length < expectedTargets) return notYet(`${targets.length}/${expectedTargets} scrape targets known`);
    if (down.length) return notYet(`${down.length} target(s) not up: ${down.map((t) => t.scrapeUrl).join(', ')}`);
    return healthy(`${targets.length} scrape targets up`);
  };
