import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { TemporalUnreachableError } from '../errors';
import { sleep } from '../util/sleep';
import { temporal } from '@temporalio/proto';
import { LAB_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { DEV_UI_PORT, temporalAddress, temporalNamespace, userTemporal } from './config';

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

export async function tryConnect(address: string): Promise<Connection | undefined> {
  try {
    const c = await Connection.connect({ address, connectTimeout: 2000 });
    await c.healthService.check({});
    return c;
  } catch {
    return undefined;
  }
}

/**
 * Connects to Temporal. With TEMPORAL_ADDRESS, that server must answer. Without it, the embedded
 * default is a local dev server (`temporal server start-dev`, Web UI on 8233) that this starts
 * once, in the background, with its history in .lab/temporal/ so runs stay visible in the UI.
 */
export async function connectTemporal(log: (s: string) => void = () => undefined): Promise<Connection> {
  const address = temporalAddress();
  const existing = await tryConnect(address);
  if (existing) {
    await ensureSearchAttributes(existing, log);
    return existing;
  }
  if (userTemporal()) throw new TemporalUnreachableError(address, 'no answer');
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
    if (c) return c;
    if (child.exitCode !== null) break;
  }
  throw new TemporalUnreachableError(address, 'the dev server did not start; see .lab/temporal/server.log');
}

/** The drills' search attributes, registered when the dev server starts (see ensureSearchAttributes for others). */
export function searchAttributeFlags(): string[] {
  return LAB_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);
}

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
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    log(`registered search attributes ${missing.map((k) => k.name).join(', ')}`);
  } catch (e) {
    log(
      `warning: could not register search attributes (${(e as Error).message}); drills will not complete until LabTopology, LabTarget and LabVerdict (Keyword) exist`,
    );
  }
}
