import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { httpAuthHeaders, kafkaAccessOptions, resolveSecret } from '../../src/config/credentials';
import { loadTargetFile } from '../../src/config/target-file';

const dir = mkdtempSync(join(tmpdir(), 'lab-target-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const FULL = `
name: staging
upstream:
  bootstrap: [up-1:9093]
  sasl: { mechanism: scram-sha-512, username: { env: UP_USER }, password: { env: UP_PASS } }
  tls: true
downstream: { bootstrap: [down-1:9093] }
connect: { url: http://connect:8083, auth: { basic: { username: { env: CONNECT_USER }, password: { file: ${dir}/connect-pass } } } }
schemaRegistry: { url: http://sr:8081 }
elasticsearch: { url: http://es:9200, auth: { apiKey: { env: ES_KEY } } }
prometheus: { url: http://prom:9090 }
`;

describe('loadTargetFile', () => {
  it('keeps references to credentials, never their values', () => {
    vi.stubEnv('UP_USER', 'drill');
    vi.stubEnv('UP_PASS', 's3cret-value');
    vi.stubEnv('CONNECT_USER', 'admin');
    vi.stubEnv('ES_KEY', 'es-key-value');
    writeFileSync(join(dir, 'connect-pass'), 'connect-secret\n');
    const t = loadTargetFile(file('staging.yaml', FULL));
    expect(t).toMatchObject({ name: 'staging', upstreamBootstrap: ['up-1:9093'], connectUrl: 'http://connect:8083' });
    const serialized = JSON.stringify(t);
    for (const secret of ['s3cret-value', 'connect-secret', 'es-key-value']) expect(serialized).not.toContain(secret);
    expect(t.access?.upstream?.sasl?.password).toEqual({ env: 'UP_PASS' });
    // ...which activities resolve when they run
    expect(kafkaAccessOptions(t.access?.upstream, 'upstream')).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'drill', password: 's3cret-value' },
    });
    expect(httpAuthHeaders(t.access?.connect, 'Connect')).toEqual({
      authorization: `Basic ${Buffer.from('admin:connect-secret').toString('base64')}`,
    });
    expect(httpAuthHeaders(t.access?.elasticsearch, 'Elasticsearch')).toEqual({ authorization: 'ApiKey es-key-value' });
  });

  it('names a missing endpoint', () => {
    expect(() =>
      loadTargetFile(
        file(
          'partial.json',
          JSON.stringify({ upstream: { bootstrap: ['a:1'] }, downstream: { bootstrap: ['b:1'] }, connect: { url: 'http://c' } }),
        ),
      ),
    ).toThrow(/target file .*partial\.json is missing schemaRegistry\.url, elasticsearch\.url, prometheus\.url/);
  });

  it('reads the opt-in to faults and names a wrong entry in it', () => {
    const base = [
      'upstream: { bootstrap: [up-1:9093] }',
      'downstream: { bootstrap: [down-1:9093] }',
      'connect: { url: http://connect:8083 }',
      'schemaRegistry: { url: http://sr:8081 }',
      'elasticsearch: { url: http://es:9200 }',
      'prometheus: { url: http://prom:9090 }',
      '',
    ].join('\n');
    const t = loadTargetFile(
      file('faults.yaml', `${base}faults: { allow: true, upstreamBrokers: [kafka-a-1, kafka-a-2], connectWorkers: [mm2-1] }\n`),
    );
    expect(t.faults).toEqual({
      allow: true,
      upstreamBrokers: ['kafka-a-1', 'kafka-a-2'],
      downstreamBrokers: [],
      connectWorkers: ['mm2-1'],
    });
    expect(() => loadTargetFile(file('bad-faults.yaml', `${base}faults: { allow: true, connectWorkers: ["mm2 1"] }\n`))).toThrow(
      /faults\.connectWorkers entry "mm2 1" is not a container name/,
    );
  });

  it('names a credential that is not set, before anything runs', () => {
    vi.stubEnv('UP_USER', 'drill');
    vi.stubEnv('UP_PASS', '');
    expect(() => loadTargetFile(file('staging2.yaml', FULL))).toThrow(
      'the upstream Kafka SASL password is not set: environment variable UP_PASS is empty',
    );
  });

  it('refuses a secret written into the file', () => {
    const text = FULL.replace('password: { env: UP_PASS }', 'password: hunter2');
    vi.stubEnv('UP_USER', 'drill');
    expect(() => loadTargetFile(file('inline.yaml', text))).toThrow(/must name an env var or a file/);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadTargetFile(join(dir, 'nope.yaml'))).toThrow(/cannot read target file .*nope\.yaml: ENOENT/);
  });
});

describe('resolveSecret', () => {
  it('reads env vars and files, and names what is missing', () => {
    vi.stubEnv('LAB_T', 'v');
    expect(resolveSecret({ env: 'LAB_T' }, 'x')).toBe('v');
    expect(() => resolveSecret({ env: 'LAB_UNSET_VAR' }, 'Connect password')).toThrow(
      'the Connect password is not set: environment variable LAB_UNSET_VAR is empty',
    );
    expect(() => resolveSecret({ file: join(dir, 'missing') }, 'token')).toThrow(/cannot read .*missing \(ENOENT\)/);
  });
});
