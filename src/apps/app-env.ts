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
  };
}
