import type { DataCenter } from '../domain/topology';

export type NodeRole = 'broker' | 'connect' | 'schema-registry' | 'elasticsearch' | 'prometheus' | 'app' | 'viewer' | 'link-proxy' | 'disk';

/** A file placed into the container before it starts (config files travel this way, not as bind mounts). */
export interface NodeFile {
  path: string;
  content?: string;
  /** Copy this host file instead of `content` (the JMX agent jar for official images). */
  hostPath?: string;
  mode?: number;
  /** Holds credentials: kept out of the spec hash (a label anyone can read). */
  secret?: boolean;
}

/** Everything needed to create one lab container: plain data, built by the plan. */
export interface NodeSpec {
  node: string;
  containerName: string;
  role: NodeRole;
  dc?: DataCenter;
  image: string;
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  /** Full network names; the node's alias is its `node` name on each. Empty: the host network. */
  networks: string[];
  ports: { container: number; host: number }[];
  files: NodeFile[];
  user?: string;
  /** Linux capabilities beyond Docker's default set; none unless a drill asks (least privilege). */
  capAdd?: string[];
  /** Named volumes of the lab mounted into the container: a size-capped tmpfs (a small disk of its own). */
  mounts?: { volume: string; target: string; sizeMb: number }[];
}
