import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { TemporalUnreachableError } from '../errors';
import { sleep } from '../util/sleep';
import { DEV_UI_PORT, temporalAddress, userTemporal } from './config';

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

async function tryConnect(address: string): Promise<Connection | undefined> {
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
  if (existing) return existing;
  if (userTemporal()) throw new TemporalUnreachableError(address, 'no answer');
  const bin = temporalBinary();
  if (!bin) throw new TemporalUnreachableError(address, 'no server answers and the Temporal CLI is not installed (run `npm run setup`)');
  mkdirSync(STATE_DIR, { recursive: true });
  const [host, port] = address.split(':');
  log(`starting the Temporal dev server on ${address} (Web UI http://${host}:${DEV_UI_PORT}, log .lab/temporal/server.log)`);
  const out = openSync(resolve(STATE_DIR, 'server.log'), 'a');
  const child = spawn(
    bin,
    ['server', 'start-dev', '--ip', host, '--port', port, '--ui-port', String(DEV_UI_PORT), '--db-filename', resolve(STATE_DIR, 'dev.db'), '--log-level', 'warn',
      ...searchAttributeFlags()],
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

/** Custom search attributes the drills set, registered when the dev server starts. */
export const SEARCH_ATTRIBUTES = { LabTopology: 'Keyword', LabTarget: 'Keyword', LabVerdict: 'Keyword' } as const;

function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, v]) => ['--search-attribute', `${k}=${v}`]);
}
