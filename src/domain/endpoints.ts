import type { DataCenter, WanProfile } from './topology';

/** How to reach one Kafka cluster: from the host, and from containers inside the lab networks. */
export interface ClusterEndpoints {
  bootstrap: string[];
  /** As the Connect workers reach it: through the link proxy when the lab has one and the cluster is across the link. */
  internalBootstrap: string[];
}

export interface HttpEndpoint {
  url: string;
  internalUrl: string;
}

/**
 * Everything later steps need to talk to a lab: only addresses, never container ids, so the same
 * steps verify a lab provisioned here or clusters given by the user.
 */
export interface LabEndpoints {
  labId: string;
  clusters: Record<DataCenter, ClusterEndpoints>;
  connect: { urls: string[]; internalUrls: string[] };
  schemaRegistry?: HttpEndpoint;
  /** A disaster drill's lab: the DR data center's own registry (schemaRegistry is then the primary's). */
  schemaRegistryDr?: HttpEndpoint;
  elasticsearch?: HttpEndpoint;
  prometheus?: HttpEndpoint;
  /** The chapter's apps (consumer-1, consumer-2): their /metrics as seen from the host. */
  apps?: { name: string; metricsUrl: string }[];
  /**
   * The link proxy (Toxiproxy) between the data centers: its API and a probe port across the link,
   * from the host; once provisioned, the standing WAN profile it holds and a Kafka round trip across it.
   */
  linkProxy?: { apiUrl: string; probe: string; profile?: WanProfile; roundTripMs?: number };
}

export type ComponentHealth = 'healthy' | 'unhealthy' | 'missing';

export interface ComponentStatus {
  component: string;
  role: string;
  container: string;
  endpoint: string;
  health: ComponentHealth;
  detail?: string;
}
