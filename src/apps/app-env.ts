/** Configuration of a lab app, from its container environment. */
export interface AppEnv {
  app: string;
  bootstrap: string[];
  topic: string;
  group: string;
  schemaRegistryUrl: string;
  elasticsearchUrl?: string;
  index?: string;
  metricsPort: number;
  /** Credentials for secured clusters, given to the container by the drill (never in workflow history). */
  kafkaSasl?: { mechanism: string; username: string; password: string };
  kafkaTls?: boolean | { ca: string[] };
  schemaRegistryAuth?: { username: string; password: string };
  elasticsearchAuthorization?: string;
}

export function readAppEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const need = (k: string) => {
    const v = env[k];
    if (!v) {
      process.stderr.write(`error: ${k} is not set (fix: the lab sets it; set it when running the app by hand)\n`);
      process.exit(2);
    }
    return v;
  };
  return {
    app: need('LAB_APP'),
    bootstrap: need('LAB_BOOTSTRAP').split(','),
    topic: need('LAB_TOPIC'),
    group: need('LAB_GROUP'),
    schemaRegistryUrl: need('LAB_SCHEMA_REGISTRY_URL'),
    elasticsearchUrl: env.LAB_ELASTICSEARCH_URL,
    index: env.LAB_INDEX,
    metricsPort: Number(env.LAB_METRICS_PORT ?? 9400),
    kafkaSasl: env.LAB_KAFKA_SASL_MECHANISM
      ? { mechanism: env.LAB_KAFKA_SASL_MECHANISM, username: env.LAB_KAFKA_SASL_USERNAME ?? '', password: env.LAB_KAFKA_SASL_PASSWORD ?? '' }
      : undefined,
    kafkaTls: env.LAB_KAFKA_TLS_CA_PEM ? { ca: [env.LAB_KAFKA_TLS_CA_PEM] } : env.LAB_KAFKA_TLS === '1' ? true : undefined,
    schemaRegistryAuth: env.LAB_SR_USERNAME ? { username: env.LAB_SR_USERNAME, password: env.LAB_SR_PASSWORD ?? '' } : undefined,
    elasticsearchAuthorization: env.LAB_ES_AUTHORIZATION,
  };
}
