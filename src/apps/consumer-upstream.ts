/**
 * consumer-1, the chapter's real-time consumer (example 12-2): reads the upstream topic and decodes
 * every message through the Schema Registry.
 */
import { readAppEnv } from './app-env';
import { runConsumerApp } from './app-runtime';

const env = readAppEnv();
void runConsumerApp(env, async (batch, registry) => {
  for (const m of batch.messages) if (m.value) await registry.decode(m.value);
});
