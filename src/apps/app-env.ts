import { readFileSync } from 'node:fs';

/** Configuration of a lab app, from its container environment. */
export interface AppEnv {
  app: string;
  bootstrap: string[];
  /** One topic, or several comma-separated (consumer-2 in a disaster drill's lab). */
  topic: string;
  group: string;
  schemaRegistryUrl: string;
  elasticsearchUrl?: string;
  index?: string;
  metricsPort: number;
  /** 0.0.0.0 inside a lab network; 127.0.0.1 on the host network. */
  metricsHost: string;
  /**
   * Credentials for secured clusters, in a file only this container holds (LAB_CREDENTIALS_FILE),
   * never in its environment, which `docker inspect` shows, nor in workflow history.
   */
  kafkaSasl?: { mechanism: string; username: string; password: string };
  kafkaTls?: boolean | { ca: string[] };
  schemaRegistryAuth?: { username: string; password: string };
  elasticsearchAuthorization?: string;
}

/** What the drill writes into LAB_CREDENTIALS_FILE. */
export interface AppCredentials {
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
    metricsHost: env.LAB_METRICS_HOST ?? '0.0.0.0',
    ...(env.LAB_CREDENTIALS_FILE ? (JSON.parse(readFileSync(env.LAB_CREDENTIALS_FILE, 'utf8')) as AppCredentials) : {}),
  };
}
