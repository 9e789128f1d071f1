import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import { EMBEDDED_ADDRESS, temporalSettings } from '../../src/temporal/config';
import { workerSettings } from '../../workers/settings';

// How the CLI and the worker reach Temporal: the SDK's environment configuration (env + TOML).
const dir = mkdtempSync(join(tmpdir(), 'lab-envconfig-'));
const HOME = join(dir, 'home'); // no ~/.config/temporalio/temporal.toml there
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const CA = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
const CERT = file('client.pem', '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n');
const KEY = file('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');
const TOML = file(
  'temporal.toml',
  `[profile.default]
address = "temporal.internal:7233"
namespace = "drills"

[profile.prod]
address = "prod.tmprl.example:7233"
namespace = "drills-prod"
api_key = "secret-api-key"

[profile.mtls]
address = "mtls.internal:7233"
namespace = "lab"
[profile.mtls.tls]
server_ca_cert_path = "${CA}"
client_cert_path = "${CERT}"
client_key_path = "${KEY}"
server_name = "temporal-frontend"
`,
);
const bytes = (b: unknown) => Buffer.from(b as Uint8Array).toString();

describe('temporalSettings', () => {
  it('without any setting: the embedded dev server on 127.0.0.1:7233, namespace default, not user-configured', () => {
    const s = temporalSettings({ HOME });
    expect(s).toMatchObject({ connection: { address: EMBEDDED_ADDRESS }, namespace: 'default', configured: false, tls: false });
    expect(s.connection.tls).toBeUndefined();
  });

  it('TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE from the environment', () => {
    const s = temporalSettings({ HOME, TEMPORAL_ADDRESS: '10.0.0.5:7300', TEMPORAL_NAMESPACE: 'lab' });
    expect(s).toMatchObject({ connection: { address: '10.0.0.5:7300' }, namespace: 'lab', configured: true, origin: 'TEMPORAL_ADDRESS' });
  });

  it("the TOML file's default profile, and TEMPORAL_PROFILE choosing another (API key implies TLS)", () => {
    const d = temporalSettings({ HOME, TEMPORAL_CONFIG_FILE: TOML });
    expect(d).toMatchObject({ connection: { address: 'temporal.internal:7233' }, namespace: 'drills', configured: true });
    expect(d.origin).toBe(`the address of profile "default" of ${TOML}`);
    const p = temporalSettings({ HOME, TEMPORAL_CONFIG_FILE: TOML, TEMPORAL_PROFILE: 'prod' });
    expect(p).toMatchObject({
      connection: { address: 'prod.tmprl.example:7233', apiKey: 'secret-api-key', tls: true },
      apiKey: true,
      tls: true,
    });
  });

  it('the default file location ~/.config/temporalio/temporal.toml (XDG_CONFIG_HOME)', () => {
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'temporalio'), { recursive: true });
    writeFileSync(join(xdg, 'temporalio', 'temporal.toml'), '[profile.default]\naddress = "xdg.internal:7233"\n');
    expect(temporalSettings({ HOME, XDG_CONFIG_HOME: xdg }).connection.address).toBe('xdg.internal:7233');
  });

  it('mTLS from a profile: CA, client certificate and key read from their files, server name kept', () => {
    const s = temporalSettings({ HOME, TEMPORAL_CONFIG_FILE: TOML, TEMPORAL_PROFILE: 'mtls' });
    const tls = s.connection.tls as {
      serverNameOverride?: string;
      serverRootCACertificate?: Uint8Array;
      clientCertPair?: { crt: Uint8Array; key: Uint8Array };
    };
    expect(tls.serverNameOverride).toBe('temporal-frontend');
    expect(bytes(tls.serverRootCACertificate)).toContain('ca');
    expect(bytes(tls.clientCertPair?.crt)).toContain('client');
    expect(bytes(tls.clientCertPair?.key)).toContain('PRIVATE KEY');
    expect(s.tlsSettings).toContain(`tls section of profile "mtls" of ${TOML}`);
  });

  it('environment variables override the profile, TLS ones included', () => {
    const s = temporalSettings({
      HOME,
      TEMPORAL_CONFIG_FILE: TOML,
      TEMPORAL_ADDRESS: 'override:7233',
      TEMPORAL_NAMESPACE: 'other',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
      TEMPORAL_TLS_SERVER_NAME: 'sni-name',
      TEMPORAL_API_KEY: 'k',
    });
    expect(s).toMatchObject({ connection: { address: 'override:7233', apiKey: 'k' }, namespace: 'other', origin: 'TEMPORAL_ADDRESS' });
    expect((s.connection.tls as { serverNameOverride?: string }).serverNameOverride).toBe('sni-name');
  });

  it('TEMPORAL_TLS=false turns TLS off even with an API key in the profile', () => {
    const s = temporalSettings({ HOME, TEMPORAL_CONFIG_FILE: TOML, TEMPORAL_PROFILE: 'prod', TEMPORAL_TLS: 'false' });
    expect(s.connection.tls).toBe(false);
  });

  it('refuses with one line (exit 2): a missing config file, an unknown profile, an unreadable certificate', () => {
    const problems = [
      { env: { TEMPORAL_CONFIG_FILE: join(dir, 'nope.toml') }, line: /TEMPORAL_CONFIG_FILE=.*nope\.toml does not exist/ },
      { env: { TEMPORAL_CONFIG_FILE: TOML, TEMPORAL_PROFILE: 'staging' }, line: /Profile 'staging' not found.*\(fix: .*TEMPORAL_PROFILE/ },
      {
        env: { TEMPORAL_ADDRESS: 'x:1', TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: KEY },
        line: /a Temporal TLS file cannot be read: ENOENT.*missing\.pem.*\(fix: check TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
      },
    ];
    for (const p of problems) {
      let error: unknown;
      try {
        temporalSettings({ HOME, ...p.env });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).exitCode).toBe(2);
      expect((error as InvalidInputError).oneLine()).toMatch(p.line);
    }
  });

  it('never puts a credential into what it derives for messages', () => {
    const s = temporalSettings({ HOME, TEMPORAL_CONFIG_FILE: TOML, TEMPORAL_PROFILE: 'prod' });
    expect(JSON.stringify([s.origin, s.tlsSettings])).not.toContain('secret-api-key');
  });
});

describe('workerSettings', () => {
  const invalid = (problem: string) => new Error(problem);
  it('defaults: no health endpoint, no metrics, 30 s shutdown grace', () => {
    expect(workerSettings({}, invalid)).toEqual({ shutdownGrace: '30s' });
  });
  it('reads the health port and host, the metrics address, the grace and the identity', () => {
    expect(
      workerSettings(
        {
          LAB_WORKER_HEALTH_PORT: '8080',
          LAB_WORKER_HEALTH_HOST: '0.0.0.0',
          LAB_WORKER_METRICS_ADDRESS: '0.0.0.0:9464',
          LAB_WORKER_SHUTDOWN_GRACE: '45s',
          LAB_WORKER_IDENTITY: 'w1',
        },
        invalid,
      ),
    ).toEqual({ identity: 'w1', health: { host: '0.0.0.0', port: 8080 }, metricsAddress: '0.0.0.0:9464', shutdownGrace: '45s' });
  });
  it('names the malformed variable', () => {
    expect(() => workerSettings({ LAB_WORKER_HEALTH_PORT: 'http' }, invalid)).toThrow(/LAB_WORKER_HEALTH_PORT=http/);
    expect(() => workerSettings({ LAB_WORKER_METRICS_ADDRESS: '9464' }, invalid)).toThrow(
      /LAB_WORKER_METRICS_ADDRESS=9464 is not host:port/,
    );
    expect(() => workerSettings({ LAB_WORKER_SHUTDOWN_GRACE: 'soon' }, invalid)).toThrow(/LAB_WORKER_SHUTDOWN_GRACE=soon/);
  });
});
