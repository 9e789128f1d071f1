import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { secretRefs, type TargetAccess } from '../domain/access';
import type { TargetInput } from '../domain/drill';
import { InvalidInputError } from '../errors';

interface TargetFile {
  name?: string;
  upstream?: { bootstrap?: string[] } & TargetAccess['upstream'];
  downstream?: { bootstrap?: string[] } & TargetAccess['downstream'];
  connect?: { url?: string; auth?: TargetAccess['connect']; connectors?: string[]; register?: boolean };
  schemaRegistry?: { url?: string; auth?: TargetAccess['schemaRegistry'] };
  elasticsearch?: { url?: string; auth?: TargetAccess['elasticsearch'] };
  prometheus?: { url?: string; auth?: TargetAccess['prometheus'] };
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
  };
  if (missing.length) throw new InvalidInputError(`target file ${path} is missing ${missing.join(', ')}`, 'add the endpoint to the file');
  for (const [field, list] of [
    ['upstream.bootstrap', target.upstreamBootstrap],
    ['downstream.bootstrap', target.downstreamBootstrap],
  ] as const) {
    const bad = (Array.isArray(list) ? list : [list]).find((b) => typeof b !== 'string' || !/^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/.test(b));
    if (!Array.isArray(list) || bad !== undefined)
      throw new InvalidInputError(
        `target file ${path}: ${field} entry ${JSON.stringify(bad ?? list)} is not host:port`,
        `write ${field} as a list such as [kafka-1:9092]`,
      );
  }
  for (const [field, url] of [
    ['connect.url', target.connectUrl],
    ['schemaRegistry.url', target.schemaRegistryUrl],
    ['elasticsearch.url', target.elasticsearchUrl],
    ['prometheus.url', target.prometheusUrl],
  ] as const) {
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/.test(url))
      throw new InvalidInputError(
        `target file ${path}: ${field} ${JSON.stringify(url)} is not an http(s) URL`,
        `write ${field} as http://host:port`,
      );
  }
  if (
    target.mirrorConnectors !== undefined &&
    (!Array.isArray(target.mirrorConnectors) || target.mirrorConnectors.some((c) => typeof c !== 'string'))
  ) {
    throw new InvalidInputError(
      `target file ${path}: connect.connectors is not a list of names`,
      'write connect.connectors as [mm2-source-src, ...]',
    );
  }
  if (target.registerMirror !== undefined && typeof target.registerMirror !== 'boolean') {
    throw new InvalidInputError(
      `target file ${path}: connect.register is not true or false`,
      'write connect.register: true, or leave it out',
    );
  }
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
  return target;
}
