import { z } from 'zod';

/**
 * How to authenticate to a target's services, as references only: the names of environment
 * variables or files that hold the secrets. Workflow inputs and history carry these references;
 * activities read the values when they run. Declared once, as schemas; the types follow.
 */
export const SecretRefSchema = z.union([z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

export const KafkaAccessSchema = z.strictObject({
  sasl: z
    .strictObject({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: SecretRefSchema, password: SecretRefSchema })
    .optional(),
  /** true: TLS with the system CAs; or a CA file (a path, not a secret). */
  tls: z.union([z.boolean(), z.strictObject({ caFile: z.string().optional() })]).optional(),
});
export type KafkaAccess = z.infer<typeof KafkaAccessSchema>;

export const HttpAccessSchema = z.strictObject({
  basic: z.strictObject({ username: SecretRefSchema, password: SecretRefSchema }).optional(),
  /** Elasticsearch API key (sent as `Authorization: ApiKey ...`). */
  apiKey: SecretRefSchema.optional(),
  bearer: SecretRefSchema.optional(),
});
export type HttpAccess = z.infer<typeof HttpAccessSchema>;

export const TargetAccessSchema = z.strictObject({
  upstream: KafkaAccessSchema.optional(),
  downstream: KafkaAccessSchema.optional(),
  connect: HttpAccessSchema.optional(),
  schemaRegistry: HttpAccessSchema.optional(),
  elasticsearch: HttpAccessSchema.optional(),
  prometheus: HttpAccessSchema.optional(),
});
export type TargetAccess = z.infer<typeof TargetAccessSchema>;

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
