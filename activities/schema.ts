import { httpJson } from '../src/clients/http';
import { httpAuthHeaders } from '../src/config/credentials';
import { STUDENT_SCHEMA_V1 } from '../src/domain/student-schema';
import { InvalidInputError, SchemaIncompatibleError, ServiceUnreachableError } from '../src/errors';
import { checkBackward, crossRead } from '../src/schema/compatibility';
import { compatibilityLevel, registryVerdict } from '../src/verify/judge';
import { schemaFields, studentFor } from '../src/scenario/students';
import type { EvolveInput, EvolveOutput } from '../src/contracts/schema';

/**
 * Evolves the subject to v2 as the chapter does, but checks before registering: first our own
 * field-by-field BACKWARD decision (it names the offending fields), then the registry's own
 * compatibility endpoint. An incompatible schema fails here, non-retryable.
 */
export async function evolveSchema(input: EvolveInput): Promise<EvolveOutput> {
  const base = input.schemaRegistryUrl;
  const headers = httpAuthHeaders(input.access, 'Schema Registry');
  const sr = (path: string, init: Parameters<typeof httpJson>[2] = {}) =>
    httpJson<any>('Schema Registry', `${base}${path}`, { ...init, headers }); // eslint-disable-line @typescript-eslint/no-explicit-any
  let v2: unknown;
  try {
    v2 = JSON.parse(input.schemaV2);
  } catch {
    throw new InvalidInputError('the v2 schema is not JSON', 'give an Avro schema as JSON text');
  }
  const latest = await sr(`/subjects/${encodeURIComponent(input.subject)}/versions/latest`);
  if (latest.status !== 200)
    throw new ServiceUnreachableError('Schema Registry', base, `no v1 under ${input.subject} (HTTP ${latest.status})`);
  const v1 = JSON.parse(latest.body.schema);

  const config = await sr(`/config/${encodeURIComponent(input.subject)}`);
  const level = compatibilityLevel(config, config.status === 200 ? undefined : await sr('/config'));

  const local = checkBackward(v1, v2);
  if (!local.compatible) throw new SchemaIncompatibleError(input.subject, 'BACKWARD', local.problems);
  const check = await sr(`/compatibility/subjects/${encodeURIComponent(input.subject)}/versions/latest`, {
    method: 'POST',
    body: { schema: input.schemaV2, schemaType: 'AVRO' },
  });
  const verdict = registryVerdict(check);
  if (verdict === 'incompatible') {
    throw new SchemaIncompatibleError(input.subject, level, [
      `the registry says so${check.body.messages ? `: ${check.body.messages.join('; ')}` : ''}`,
    ]);
  }
  // Registering without the registry's own verdict would claim a check that did not happen.
  if (verdict === 'unknown')
    throw new ServiceUnreachableError('Schema Registry', base, `the compatibility check answered HTTP ${check.status}, not a verdict`);
  const registered = await sr(`/subjects/${encodeURIComponent(input.subject)}/versions`, {
    method: 'POST',
    body: { schema: input.schemaV2, schemaType: 'AVRO' },
  });
  if (registered.status === 409)
    throw new SchemaIncompatibleError(input.subject, level, [registered.body?.message ?? 'rejected by the registry']);
  if (registered.status >= 300) throw new ServiceUnreachableError('Schema Registry', base, `register answered ${registered.status}`);
  const versions = await sr(`/subjects/${encodeURIComponent(input.subject)}/versions`);
  const all = await sr('/schemas');

  const sampleV1 = studentFor('cross-read', 1, schemaFields(JSON.stringify(v1)));
  const sampleV2 = studentFor('cross-read', 2, schemaFields(input.schemaV2));
  return {
    subject: input.subject,
    compatibilityLevel: level,
    registryVerdict: verdict,
    v2Id: registered.body.id,
    versions: versions.body,
    schemasListed:
      all.status === 200 && Array.isArray(all.body)
        ? all.body.filter((s: { subject?: string }) => s.subject === input.subject).length
        : undefined,
    crossRead: crossRead(v1 ?? STUDENT_SCHEMA_V1, v2, sampleV1, sampleV2),
  };
}
