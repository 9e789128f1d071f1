import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { secretRefs, type TargetAccess } from '../domain/access';
import { TargetInputSchema, type TargetInput } from '../domain/target';
import { InvalidInputError } from '../errors';

interface TargetFile {
  name?: string;
  upstream?: { bootstrap?: string[] } & TargetAccess['upstream'];
  downstream?: { bootstrap?: string[] } & TargetAccess['downstream'];
  connect?: { url?: string; auth?: TargetAccess['connect']; connectors?: string[]; register?: boolean };
  schemaRegistry?: { url?: string; auth?: TargetAccess['schemaRegistry'] };
  elasticsearch?: { url?: string; auth?: TargetAccess['elasticsearch'] };
  prometheus?: { url?: string; auth?: TargetAccess['prometheus'] };
  faults?: unknown;
}

/**
 * Reads a target file (YAML or JSON) naming existing clusters, and checks it once: every endpoint
 * present, every credential it refers to set here. The result holds references only.
 */
export function loadTargetFile(path: string): TargetInput {
  let doc: TargetFile;
  try {
    doc = parse(readFileSync(path, 'utf8')) as TargetFile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      `cannot read target file ${path}: ${code ?? (e as Error).message}`,
      'give a YAML or JSON file (see README, "Existing clusters")',
    );
  }
  const missing: string[] = [];
  const need = <T>(v: T | undefined, name: string): T => {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === '') missing.push(name);
    return v as T;
  };
  const target: TargetInput = {
    name: doc?.name ?? path.replace(/^.*\//, '').replace(/\.(ya?ml|json)$/, ''),
    upstreamBootstrap: need(doc?.upstream?.bootstrap, 'upstream.bootstrap'),
    downstreamBootstrap: need(doc?.downstream?.bootstrap, 'downstream.bootstrap'),
    connectUrl: need(doc?.connect?.url, 'connect.url'),
    schemaRegistryUrl: need(doc?.schemaRegistry?.url, 'schemaRegistry.url'),
    elasticsearchUrl: need(doc?.elasticsearch?.url, 'elasticsearch.url'),
    prometheusUrl: need(doc?.prometheus?.url, 'prometheus.url'),
    mirrorConnectors: doc?.connect?.connectors,
    registerMirror: doc?.connect?.register,
    faults: doc?.faults as TargetInput['faults'],
  };
  if (missing.length) throw new InvalidInputError(`target file ${path} is missing ${missing.join(', ')}`, 'add the endpoint to the file');
  const access: TargetAccess = {
    upstream: doc.upstream?.sasl || doc.upstream?.tls ? { sasl: doc.upstream.sasl, tls: doc.upstream.tls } : undefined,
    downstream: doc.downstream?.sasl || doc.downstream?.tls ? { sasl: doc.downstream.sasl, tls: doc.downstream.tls } : undefined,
    connect: doc.connect?.auth,
    schemaRegistry: doc.schemaRegistry?.auth,
    elasticsearch: doc.elasticsearch?.auth,
    prometheus: doc.prometheus?.auth,
  };
  for (const { where, ref } of secretRefs(access)) {
    if (typeof ref !== 'object' || ref === null)
      throw new InvalidInputError(
        `the ${where} must name an env var or a file`,
        'write { env: NAME } or { file: PATH }, never the secret itself',
      );
    if ('env' in ref && !process.env[ref.env])
      throw new InvalidInputError(
        `the ${where} is not set: environment variable ${ref.env} is empty`,
        `export ${ref.env}=... before running the drill`,
      );
    if ('file' in ref && !existsSync(ref.file))
      throw new InvalidInputError(`the ${where} is not set: ${ref.file} does not exist`, `create ${ref.file}`);
    if (!('env' in ref) && !('file' in ref))
      throw new InvalidInputError(
        `the ${where} must name an env var or a file`,
        'write { env: NAME } or { file: PATH }, never the secret itself',
      );
  }
  if (Object.values(access).some(Boolean)) target.access = JSON.parse(JSON.stringify(access));
  // The rest is checked by the one declaration of a target (the drill input's), in the file's words.
  const checked = TargetInputSchema.safeParse(target);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = [
      FILE_FIELDS[String(issue.path[0])] ?? String(issue.path[0]),
      ...issue.path.slice(1).filter((k) => typeof k === 'string'),
    ].join('.');
    const at = issue.path.slice(1).find((k) => typeof k === 'number');
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string], target);
    const what = issue.code === 'invalid_type' ? `is not a ${issue.expected === 'array' ? 'list' : issue.expected}` : issue.message;
    throw new InvalidInputError(
      `target file ${path}: ${field}${at !== undefined ? ' entry' : ''} ${JSON.stringify(value)} ${what}`,
      `correct ${field} (see README, "Existing clusters")`,
    );
  }
  return checked.data;
}

/** Where each target field sits in the file. */
const FILE_FIELDS: Record<string, string> = {
  upstreamBootstrap: 'upstream.bootstrap',
  downstreamBootstrap: 'downstream.bootstrap',
  connectUrl: 'connect.url',
  schemaRegistryUrl: 'schemaRegistry.url',
  elasticsearchUrl: 'elasticsearch.url',
  prometheusUrl: 'prometheus.url',
  mirrorConnectors: 'connect.connectors',
  registerMirror: 'connect.register',
  faults: 'faults',
};
