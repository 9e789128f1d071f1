/**
 * How to authenticate to a target's services, as references only: the names of environment
 * variables or files that hold the secrets. Workflow inputs and history carry these references;
 * activities read the values when they run. Workflow-safe types.
 */
export type SecretRef = { env: string } | { file: string };

export interface KafkaAccess {
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: SecretRef; password: SecretRef };
  /** true: TLS with the system CAs; or a CA file (a path, not a secret). */
  tls?: boolean | { caFile?: string };
}

export interface HttpAccess {
  basic?: { username: SecretRef; password: SecretRef };
  /** Elasticsearch API key (sent as `Authorization: ApiKey ...`). */
  apiKey?: SecretRef;
  bearer?: SecretRef;
}

export interface TargetAccess {
  upstream?: KafkaAccess;
  downstream?: KafkaAccess;
  connect?: HttpAccess;
  schemaRegistry?: HttpAccess;
  elasticsearch?: HttpAccess;
  prometheus?: HttpAccess;
}

/** Every secret reference in an access description, with where it is used (for validation). */
export function secretRefs(a: TargetAccess | undefined): { where: string; ref: SecretRef }[] {
  const out: { where: string; ref: SecretRef }[] = [];
  for (const side of ['upstream', 'downstream'] as const) {
    const s = a?.[side]?.sasl;
    if (s) out.push({ where: `${side} Kafka SASL username`, ref: s.username }, { where: `${side} Kafka SASL password`, ref: s.password });
  }
  for (const svc of ['connect', 'schemaRegistry', 'elasticsearch', 'prometheus'] as const) {
    const h = a?.[svc];
    if (h?.basic) out.push({ where: `${svc} username`, ref: h.basic.username }, { where: `${svc} password`, ref: h.basic.password });
    if (h?.apiKey) out.push({ where: `${svc} API key`, ref: h.apiKey });
    if (h?.bearer) out.push({ where: `${svc} token`, ref: h.bearer });
  }
  return out;
}
