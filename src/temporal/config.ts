import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import { InvalidInputError } from '../errors';

/**
 * The task queue carries a version: a breaking change to workflows gets a new queue (v2: produce
 * records its start in an activity of its own, so v1 histories would not replay). LAB_TASK_QUEUE
 * isolates a set of workers.
 */
export const TASK_QUEUE = process.env.LAB_TASK_QUEUE ?? 'kafka-lab-v3';

/** A drill's execution timeout unless given: it also ends a drill that no worker ever picks up. */
export const DEFAULT_DRILL_TIMEOUT_MINUTES = 120;
/** Minutes (fractions allowed) as a Temporal duration in milliseconds. */
export const minutes = (m: number) => Math.max(1000, Math.round(m * 60_000));

/** The embedded default: the local dev server the CLI starts when nothing else is configured. */
export const EMBEDDED_ADDRESS = '127.0.0.1:7233';

/** What the CLI and the worker connect with: both Connection (client) and NativeConnection (worker) take it. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: NativeConnectionOptions['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface TemporalSettings {
  connection: TemporalConnectionOptions;
  namespace: string;
  /** The user named a server (env or profile): then it must answer and no dev server is started. */
  configured: boolean;
  /** Where the address came from, for error messages: an env var, a profile, or the default. */
  origin: string;
  /** The settings that make up TLS, named as the user would set them (for TLS error fixes). */
  tlsSettings: string;
  /** Whether TLS is used (explicitly, or implied by an API key). */
  tls: boolean;
  apiKey: boolean;
}

/**
 * The one place that derives how to reach Temporal: the SDK's environment configuration
 * (@temporalio/envconfig), so the same TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS_* variables and TOML profiles (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, default
 * ~/.config/temporalio/temporal.toml) that the Temporal CLI reads apply here. Certificates and
 * keys are read from their files here; nothing derived from them is ever logged.
 */
export function temporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const key = JSON.stringify(Object.entries(env).filter(([k]) => k.startsWith('TEMPORAL_') || k === 'HOME' || k === 'XDG_CONFIG_HOME'));
  if (cached?.key === key) return cached.settings;
  const settings = deriveSettings(env);
  cached = { key, settings };
  return settings;
}
let cached: { key: string; settings: TemporalSettings } | undefined;

function configFile(env: NodeJS.ProcessEnv): string {
  return env.TEMPORAL_CONFIG_FILE ?? join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config'), 'temporalio', 'temporal.toml');
}

function deriveSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  const file = configFile(env);
  const profileName = env.TEMPORAL_PROFILE ?? 'default';
  if (env.TEMPORAL_CONFIG_FILE && !existsSync(env.TEMPORAL_CONFIG_FILE)) {
    throw new InvalidInputError(
      `TEMPORAL_CONFIG_FILE=${env.TEMPORAL_CONFIG_FILE} does not exist`,
      'point it at a Temporal TOML config file, or unset it',
    );
  }
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: env as Record<string, string> });
  } catch (e) {
    // The SDK's messages name the profile or the TOML problem, never a credential.
    throw new InvalidInputError(
      `the Temporal client configuration cannot be loaded: ${(e as Error).message}`,
      `fix ${file} or TEMPORAL_PROFILE (the profiles the Temporal CLI uses: \`temporal config list\`)`,
    );
  }
  const fromEnv = (name: string) => env[name] !== undefined;
  const fromProfile = `profile "${profileName}" of ${file}`;
  const tlsSettings = [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_SERVER_NAME',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
  ].join(', ');
  let options: ReturnType<typeof toClientOptions>;
  try {
    options = toClientOptions(profile);
  } catch (e) {
    // A certificate or key file that cannot be read: the message is the file system's (a path).
    throw new InvalidInputError(
      `a Temporal TLS file cannot be read: ${(e as Error).message}`,
      `check ${tlsSettings} (or the tls section of ${fromProfile})`,
    );
  }
  const c = options.connectionOptions;
  const configured = !!profile.address;
  return {
    connection: {
      address: profile.address ?? EMBEDDED_ADDRESS,
      ...(c.tls !== undefined ? { tls: c.tls } : {}),
      ...(typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
      ...(profile.grpcMeta ? { metadata: profile.grpcMeta } : {}),
    },
    namespace: profile.namespace ?? 'default',
    configured,
    origin: !configured ? 'the embedded default' : fromEnv('TEMPORAL_ADDRESS') ? 'TEMPORAL_ADDRESS' : `the address of ${fromProfile}`,
    tlsSettings: `${tlsSettings}${existsSync(file) ? ` (or the tls section of ${fromProfile})` : ''}`,
    tls: !!c.tls,
    apiKey: typeof c.apiKey === 'string',
  };
}

export const temporalAddress = () => temporalSettings().connection.address;
export const temporalNamespace = () => temporalSettings().namespace;
/** Whether the user pointed us at their own server (then we never start one). */
export const userTemporal = () => temporalSettings().configured;
export const DEV_UI_PORT = Number(process.env.LAB_TEMPORAL_UI_PORT ?? 8233);
export const temporalUiUrl = () => process.env.LAB_TEMPORAL_UI_URL ?? `http://127.0.0.1:${DEV_UI_PORT}`;

export function workflowUiLink(workflowId: string): string {
  return `${temporalUiUrl()}/namespaces/${temporalNamespace()}/workflows/${encodeURIComponent(workflowId)}`;
}
