import { createHash } from 'node:crypto';
import { httpJson } from '../clients/http';
import { ServiceUnreachableError } from '../errors';

/**
 * The Schema Registries of two data centers kept in step the way Apicurio supports: the primary's
 * whole content exported (`/admin/export`, a zip) and imported into the DR site's (`/admin/import`),
 * which keeps every global and content id, so a schema id written into a record resolves to the same
 * schema on both sides. Import needs an empty registry; the lab's registries keep their content in
 * memory, so a restart empties one. URLs here are the Confluent-compatible API (…/apis/ccompat/v7).
 */

/** Per schema id, a fingerprint of its schema (canonical JSON): what must match on both sides. */
export type SchemaIds = Record<number, string>;

const CCOMPAT = /\/apis\/ccompat\/v7\/?$/;
/** Apicurio's own API, next to its Confluent-compatible one. */
export const registryApi = (ccompatUrl: string) => `${ccompatUrl.replace(CCOMPAT, '')}/apis/registry/v3`;

export const schemaFingerprint = (schema: string) => {
  let canonical = schema;
  try {
    canonical = JSON.stringify(JSON.parse(schema));
  } catch {
    // not JSON (a protobuf schema): compared as text
  }
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
};

/** Every schema id the registry's subjects use, with its fingerprint. */
export async function schemaIds(url: string): Promise<SchemaIds> {
  const out: SchemaIds = {};
  const subjects = await get<string[]>(url, '/subjects');
  for (const s of subjects) {
    for (const v of await get<number[]>(url, `/subjects/${encodeURIComponent(s)}/versions`)) {
      const r = await get<{ id: number; schema: string }>(url, `/subjects/${encodeURIComponent(s)}/versions/${v}`);
      out[r.id] = schemaFingerprint(r.schema);
    }
  }
  return out;
}

/** The fingerprint of schema `id` on this registry, or undefined when it has none. */
export async function schemaById(url: string, id: number): Promise<string | undefined> {
  const r = await httpJson<{ schema?: string }>('Schema Registry', `${url}/schemas/ids/${id}`);
  if (r.status === 404) return undefined;
  if (r.status >= 300 || !r.body?.schema) throw new ServiceUnreachableError('Schema Registry', url, `schema ${id} answered ${r.status}`);
  return schemaFingerprint(r.body.schema);
}

/** The ids of `want` that `url` does not resolve to the same schema. */
export async function mismatchedIds(url: string, want: SchemaIds): Promise<number[]> {
  const out: number[] = [];
  for (const [id, fp] of Object.entries(want)) if ((await schemaById(url, Number(id))) !== fp) out.push(Number(id));
  return out;
}

export async function exportRegistry(url: string): Promise<Buffer> {
  const res = await fetch(`${registryApi(url)}/admin/export`, { signal: AbortSignal.timeout(30_000) }).catch((e: Error) => {
    throw new ServiceUnreachableError('Schema Registry', url, e.message);
  });
  if (!res.ok) throw new ServiceUnreachableError('Schema Registry', url, `export answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function importRegistry(url: string, zip: Buffer): Promise<void> {
  const res = await fetch(`${registryApi(url)}/admin/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: new Uint8Array(zip),
    signal: AbortSignal.timeout(30_000),
  }).catch((e: Error) => {
    throw new ServiceUnreachableError('Schema Registry', url, e.message);
  });
  if (!res.ok)
    throw new ServiceUnreachableError('Schema Registry', url, `import answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
}

async function get<T>(url: string, path: string): Promise<T> {
  const r = await httpJson<T>('Schema Registry', `${url}${path}`);
  if (r.status >= 300) throw new ServiceUnreachableError('Schema Registry', url, `GET ${path} answered ${r.status}`);
  return r.body;
}
