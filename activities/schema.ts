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
  const subject = encodeURIComponent(input.subject);
  // The v1 this run wrote, and its version under the subject (what the registry checks v2 against).
  const v1Entry =
    input.v1SchemaId === undefined
      ? await sr(`/subjects/${subject}/versions/latest`)
      : await sr(`/schemas/ids/${input.v1SchemaId}`).then(async (byId) =>
          byId.status === 200
            ? sr(`/subjects/${subject}`, { method: 'POST', body: { schema: byId.body.schema, schemaType: 'AVRO' } })
            : byId,
        );
  if (v1Entry.status !== 200 || typeof v1Entry.body?.version !== 'number')
    throw new ServiceUnreachableError(
      'Schema Registry',
      base,
      `this run's v1${input.v1SchemaId === undefined ? '' : ` (id ${input.v1SchemaId})`} is not a version of ${input.subject} (HTTP ${v1Entry.status})`,
    );
  const v1Version: number = v1Entry.body.version;
  const v1 = JSON.parse(v1Entry.body.schema);

  const config = await sr(`/config/${encodeURIComponent(input.subject)}`);
  const level = compatibilityLevel(config, config.status === 200 ? undefined : await sr('/config'));

  const local = checkBackward(v1, v2);
  if (!local.compatible) throw new SchemaIncompatibleError(input.subject, 'BACKWARD', local.problems);
  const check = await sr(`/compatibility/subjects/${subject}/versions/${v1Version}`, {
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
  const registered = await sr(`/subjects/${subject}/versions`, {
    method: 'POST',
    body: { schema: input.schemaV2, schemaType: 'AVRO' },
  });
  if (registered.status === 409)
    throw new SchemaIncompatibleError(input.subject, level, [registered.body?.message ?? 'rejected by the registry']);
  if (registered.status >= 300) throw new ServiceUnreachableError('Schema Registry', base, `register answered ${registered.status}`);
  const versions = await sr(`/subjects/${subject}/versions`);
  // Which version the v2 just registered is (a kept lab's v2 is registered once, by its first run).
  const v2Listed = await sr(`/subjects/${subject}`, { method: 'POST', body: { schema: input.schemaV2, schemaType: 'AVRO' } });
  const all = await sr('/schemas');

  const sampleV1 = studentFor('cross-read', 1, schemaFields(JSON.stringify(v1)));
  const sampleV2 = studentFor('cross-read', 2, schemaFields(input.schemaV2));
  return {
    subject: input.subject,
    compatibilityLevel: level,
    registryVerdict: verdict,
    v2Id: registered.body.id,
    versions: versions.body,
    v1Version,
    ...(v2Listed.status === 200 && typeof v2Listed.body?.version === 'number' ? { v2Version: v2Listed.body.version } : {}),
    schemasListed:
      all.status === 200 && Array.isArray(all.body)
        ? all.body.filter((s: { subject?: string }) => s.subject === input.subject).length
        : undefined,
    crossRead: crossRead(v1 ?? STUDENT_SCHEMA_V1, v2, sampleV1, sampleV2),
  };
}
