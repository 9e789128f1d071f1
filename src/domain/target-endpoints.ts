import type { LabEndpoints } from './endpoints';
import type { TargetInput } from './target';

/** Attach mode: the given endpoints, seen the same from the host and from the apps (host network). */
export function targetEndpoints(t: TargetInput, labId: string): LabEndpoints {
  const same = (url: string) => ({ url, internalUrl: url });
  return {
    labId,
    clusters: {
      upstream: { bootstrap: t.upstreamBootstrap, internalBootstrap: t.upstreamBootstrap },
      downstream: { bootstrap: t.downstreamBootstrap, internalBootstrap: t.downstreamBootstrap },
    },
    connect: { urls: [t.connectUrl], internalUrls: [t.connectUrl] },
    schemaRegistry: same(t.schemaRegistryUrl),
    elasticsearch: same(t.elasticsearchUrl),
    prometheus: same(t.prometheusUrl),
  };
}
