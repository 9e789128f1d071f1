import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import type { HttpAccess, KafkaAccess, SecretRef } from '../domain/access';
import { InvalidInputError } from '../errors';

/** Reads a secret when it is needed; never stored, never returned to a workflow. */
export function resolveSecret(ref: SecretRef, where: string): string {
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (!v)
      throw new InvalidInputError(
        `the ${where} is not set: environment variable ${ref.env} is empty`,
        `export ${ref.env}=... where the worker runs`,
      );
    return v;
  }
  try {
    return readFileSync(ref.file, 'utf8').trim();
  } catch (e) {
    throw new InvalidInputError(
      `the ${where} is not set: cannot read ${ref.file} (${(e as NodeJS.ErrnoException).code})`,
      `create ${ref.file} where the worker runs`,
    );
  }
}

/** kafkajs options for SASL/SCRAM and TLS. */
export function kafkaAccessOptions(a: KafkaAccess | undefined, side: string): { sasl?: SASLOptions; ssl?: boolean | { ca: string[] } } {
  if (!a) return {};
  const ssl = a.tls === true ? true : a.tls && a.tls.caFile ? { ca: [readFileSync(a.tls.caFile, 'utf8')] } : undefined;
  const sasl = a.sasl
    ? ({
        mechanism: a.sasl.mechanism,
        username: resolveSecret(a.sasl.username, `${side} Kafka SASL username`),
        password: resolveSecret(a.sasl.password, `${side} Kafka SASL password`),
      } as SASLOptions)
    : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/** The Authorization header for a REST service: basic, Elasticsearch API key, or bearer token. */
export function httpAuthHeaders(a: HttpAccess | undefined, service: string): Record<string, string> {
  if (!a) return {};
  if (a.basic) {
    const user = resolveSecret(a.basic.username, `${service} username`);
    const pass = resolveSecret(a.basic.password, `${service} password`);
    return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
  }
  if (a.apiKey) return { authorization: `ApiKey ${resolveSecret(a.apiKey, `${service} API key`)}` };
  if (a.bearer) return { authorization: `Bearer ${resolveSecret(a.bearer, `${service} token`)}` };
  return {};
}

/** Basic credentials for clients that take them as an object (the Schema Registry client). */
export function basicAuth(a: HttpAccess | undefined): { username: string; password: string } | undefined {
  if (!a?.basic) return undefined;
  return {
    username: resolveSecret(a.basic.username, 'Schema Registry username'),
    password: resolveSecret(a.basic.password, 'Schema Registry password'),
  };
}
