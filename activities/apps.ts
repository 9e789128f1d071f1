import { bundleApps } from '../src/apps/bundle';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import type { HttpAccess, KafkaAccess } from '../src/domain/access';
import { connectDocker } from '../src/docker/docker-client';
import { ensureNodeContainer } from '../src/docker/containers';
import { labLabels } from '../src/docker/labels';
import type { LabEndpoints } from '../src/domain/endpoints';
import type { DrillConfig } from '../src/domain/drill';
import { ComponentUnhealthyError } from '../src/errors';
import { appProbe } from '../src/lab/health/probes';
import { safeProbe } from '../src/lab/health/probe';
import { planApps } from '../src/lab/apps-plan';
import { sleep } from '../src/util/sleep';

/** The apps' credentials as container environment, resolved here from the target's references. */
function appCredentials(kafka: KafkaAccess | undefined, side: string, es: HttpAccess | undefined, sr: HttpAccess | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  const k = kafkaAccessOptions(kafka, side);
  const sasl = k.sasl as { mechanism: string; username: string; password: string } | undefined;
  if (sasl) Object.assign(env, { LAB_KAFKA_SASL_MECHANISM: sasl.mechanism, LAB_KAFKA_SASL_USERNAME: sasl.username, LAB_KAFKA_SASL_PASSWORD: sasl.password });
  if (k.ssl === true) env.LAB_KAFKA_TLS = '1';
  else if (k.ssl) env.LAB_KAFKA_TLS_CA_PEM = k.ssl.ca.join('\n');
  const srAuth = basicAuth(sr);
  if (srAuth) Object.assign(env, { LAB_SR_USERNAME: srAuth.username, LAB_SR_PASSWORD: srAuth.password });
  const esHeader = httpAuthHeaders(es, 'Elasticsearch').authorization;
  if (esHeader) env.LAB_ES_AUTHORIZATION = esHeader;
  return env;
}

export interface AppsOutput {
  apps: { name: string; metricsUrl: string; detail: string }[];
}

/**
 * The chapter's consumer-1 and consumer-2 as running services. A provisioned lab started them
 * with the lab; against existing clusters they start here, on the host network.
 */
export async function startApps(input: { config: DrillConfig; endpoints: LabEndpoints }): Promise<AppsOutput> {
  const { config: c, endpoints: e } = input;
  let apps = e.apps ?? [];
  if (c.mode === 'attach') {
    bundleApps();
    const docker = await connectDocker();
    const nodes = planApps({
      labId: c.labId, images: c.images as 'built' | 'official', topic: c.topic, mirroredTopic: c.mirroredTopic,
      upstreamBootstrap: e.clusters.upstream.bootstrap, downstreamBootstrap: e.clusters.downstream.bootstrap,
      schemaRegistryUrl: e.schemaRegistry!.url, elasticsearchUrl: e.elasticsearch!.url, portOffset: c.portOffset,
    });
    const access = c.target?.access;
    for (const n of nodes) {
      const side = n.dc === 'upstream' ? 'upstream' : 'downstream';
      const withCredentials = { ...n, env: { ...n.env, ...appCredentials(access?.[side], side, n.node === 'consumer-2' ? access?.elasticsearch : undefined, access?.schemaRegistry) } };
      await ensureNodeContainer(docker, withCredentials, { labels: labLabels(c.labId), bindAddress: '127.0.0.1', imageSource: c.images });
    }
    apps = nodes.map((n) => ({ name: n.node, metricsUrl: `http://127.0.0.1:${n.env.LAB_METRICS_PORT}` }));
  }
  const out: AppsOutput['apps'] = [];
  for (const app of apps) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await safeProbe(appProbe(app.metricsUrl));
      if (r.ok) {
        out.push({ ...app, detail: r.detail });
        break;
      }
      if (Date.now() > deadline) throw new ComponentUnhealthyError(app.name, 60_000, r.detail);
      await sleep(1000);
    }
  }
  return { apps: out };
}
