import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { TemporalSettingsError, TemporalUnreachableError, type LabError } from '../errors';
import { sleep } from '../util/sleep';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { LAB_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { diagnoseConnectFailure } from './diagnose';
import { DEV_UI_PORT, temporalNamespace, temporalSettings, type TemporalSettings } from './config';

const STATE_DIR = resolve(__dirname, '../../.lab/temporal');

/** The Temporal CLI binary: LAB_TEMPORAL_BIN, else `temporal` on PATH or in /usr/local/bin. */
export function temporalBinary(): string | undefined {
  if (process.env.LAB_TEMPORAL_BIN) return process.env.LAB_TEMPORAL_BIN;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/local/bin', `${process.env.HOME}/.local/bin`])) {
    const p = resolve(dir, 'temporal');
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * A connection when a server answers, else undefined. With `address`, a plain connection to it
 * (the tests' dev server); without, the configured settings (TLS, API key included).
 */
export async function tryConnect(address?: string): Promise<Connection | undefined> {
  try {
    return await openConnection(address);
  } catch {
    return undefined;
  }
}

/**
 * Connection.connect asks the server for its system info, so a connection returned is one that
 * answered. A configured server gets 10 s (a remote one, or a process starting on a busy host);
 * probing for the local dev server stays quick.
 */
async function openConnection(address?: string): Promise<Connection> {
  const settings = temporalSettings();
  const connectTimeout = !address && settings.configured ? 10_000 : 3000;
  return Connection.connect({ ...(address ? { address } : settings.connection), connectTimeout });
}

/**
 * Connects to Temporal. With a configured server (TEMPORAL_ADDRESS or a TOML profile, see
 * temporalSettings), that server must answer, with the namespace asked for. Without, the embedded
 * default is a local dev server (`temporal server start-dev`, Web UI on 8233) that this starts
 * once, in the background, with its history in .lab/temporal/ so runs stay visible in the UI.
 */
export async function connectTemporal(log: (s: string) => void = () => undefined): Promise<Connection> {
  const settings = temporalSettings();
  const address = settings.connection.address;
  let existing: Connection | undefined;
  let failure: unknown;
  try {
    existing = await openConnection();
  } catch (e) {
    failure = e;
  }
  if (existing) {
    await checkNamespace(existing, settings);
    await ensureSearchAttributes(existing, log);
    return existing;
  }
  if (settings.configured) throw await connectFailure(failure, settings);
  const bin = temporalBinary();
  if (!bin) throw new TemporalUnreachableError(address, 'no server answers and the Temporal CLI is not installed (run `npm run setup`)');
  mkdirSync(STATE_DIR, { recursive: true });
  const [host, port] = address.split(':');
  log(`starting the Temporal dev server on ${address} (Web UI http://${host}:${DEV_UI_PORT}, log .lab/temporal/server.log)`);
  const out = openSync(resolve(STATE_DIR, 'server.log'), 'a');
  const child = spawn(
    bin,
    [
      'server',
      'start-dev',
      '--ip',
      host,
      '--port',
      port,
      '--ui-port',
      String(DEV_UI_PORT),
      '--db-filename',
      resolve(STATE_DIR, 'dev.db'),
      '--log-level',
      'warn',
      ...searchAttributeFlags(),
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  for (let i = 0; i < 60; i++) {
    await sleep(500);
    const c = await tryConnect(address);
    if (c) {
      await checkNamespace(c, settings);
      // the flags register them only in a new database, not in one kept from an earlier version
      await ensureSearchAttributes(c, log);
      return c;
    }
    if (child.exitCode !== null) break;
  }
  throw new TemporalUnreachableError(address, 'the dev server did not start; see .lab/temporal/server.log');
}

/** The drills' search attributes, registered when the dev server starts (see ensureSearchAttributes for others). */
export function searchAttributeFlags(): string[] {
  return LAB_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${SEARCH_ATTRIBUTE_TYPES[k.type].cli}`]);
}

/** Each search attribute type as the dev server's flag and the operator service name it. */
const SEARCH_ATTRIBUTE_TYPES = {
  [SearchAttributeType.KEYWORD]: { cli: 'Keyword', indexed: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  [SearchAttributeType.INT]: { cli: 'Int', indexed: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT },
  [SearchAttributeType.DOUBLE]: { cli: 'Double', indexed: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE },
} as Record<string, { cli: string; indexed: temporal.api.enums.v1.IndexedValueType }>;

/**
 * Registers the drills' search attributes on a server that lacks them (a workflow that sets an
 * unknown one cannot complete its tasks). A server that refuses gets one warning.
 */
export async function ensureSearchAttributes(connection: Connection, log: (s: string) => void): Promise<void> {
  const namespace = temporalNamespace();
  try {
    const have = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = LAB_SEARCH_ATTRIBUTES.filter((k) => !(k.name in (have.customAttributes ?? {})));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, SEARCH_ATTRIBUTE_TYPES[k.type].indexed])),
    });
    log(`registered search attributes ${missing.map((k) => k.name).join(', ')}`);
  } catch (e) {
    log(
      `warning: could not register search attributes (${(e as Error).message}); drills will not complete until ${LAB_SEARCH_ATTRIBUTES.map((k) => `${k.name} (${SEARCH_ATTRIBUTE_TYPES[k.type].cli})`).join(', ')} exist`,
    );
  }
}

const grpcCode = (e: unknown) => (e as { code?: number }).code;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One line for a configured server that did not let us in: credentials refused (the server
 * answered), else what diagnoseConnectFailure finds (nothing listening, a TLS handshake that
 * failed and which setting to fix).
 */
export async function connectFailure(e: unknown, s: TemporalSettings): Promise<LabError> {
  const msg = message(e).replace(/\s+/g, ' ').trim();
  if (grpcCode(e) === 16 || grpcCode(e) === 7) {
    return new TemporalSettingsError(
      `the Temporal server at ${s.connection.address} refused our credentials: ${msg}`,
      s.apiKey
        ? 'check TEMPORAL_API_KEY (or api_key in the profile)'
        : 'set TEMPORAL_API_KEY, or a client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH)',
    );
  }
  return diagnoseConnectFailure(s, msg);
}

/** A namespace that does not exist fails here, with the fix, rather than on the first drill. */
async function checkNamespace(connection: Connection, s: TemporalSettings): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace: s.namespace });
  } catch (e) {
    if (grpcCode(e) !== 5) return; // not allowed to describe it (some API keys): the calls that follow tell
    await connection.close();
    throw new TemporalSettingsError(
      `Temporal namespace "${s.namespace}" does not exist on ${s.connection.address}`,
      `create it (\`temporal operator namespace create --namespace ${s.namespace} --address ${s.connection.address}\`) or set TEMPORAL_NAMESPACE to one that exists`,
    );
  }
}
