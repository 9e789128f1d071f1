import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { drillInputJsonSchema } from '../../src/cli/json-schema';
import { loadTargetFile } from '../../src/config/target-file';
import { DRILL_FLAGS, DRILL_FLAGS_HELP, DRILL_INPUT_OPTIONS, drillInputFromFlags } from '../../src/cli/drill-flags';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';

const problemOf = (input: Record<string, unknown>) => {
  const r = resolveDrillInput(input);
  return isInputProblem(r) ? r.problem : undefined;
};

describe('resolveDrillInput refuses, before anything runs, what would fail later', () => {
  it('checks the lab: topology, images, Connect placement, lab id and the topic replication factor', () => {
    expect(problemOf({ topology: 'huge' })).toMatch(/unknown topology "huge"/);
    expect(problemOf({ images: 'docker-hub' })).toMatch(/unknown image source "docker-hub"/);
    expect(problemOf({ connectPlacement: 'sideways' })).toMatch(/unknown Connect placement "sideways"/);
    expect(problemOf({ labId: 'Not Valid!' })).toMatch(/lab id "Not Valid!"/);
    expect(problemOf({ replicationFactor: 3 })).toMatch(/replication factor 3 is above the broker count \(1\)/);
    expect(problemOf({ topology: 'chapter', replicationFactor: 3 })).toBeUndefined();
  });

  it('refuses a v2 schema that is JSON but not an Avro record', () => {
    expect(problemOf({ schemaV2: '{"type":"string"}' })).toMatch(/not an Avro record schema/);
    expect(problemOf({ schemaV2: '{"type":"record","name":"S"}' })).toMatch(/needs "fields"/);
    expect(problemOf({ schemaV2: 'nope' })).toMatch(/not JSON/);
  });

  it('refuses a loss fault larger than partition 0 receives, and a target drill that would tear down a lab', () => {
    expect(problemOf({ messages: 100, partitions: 3, faults: { deleteMirroredRecords: 35 } })).toMatch(
      /more than partition 0 receives \(34\)/,
    );
    expect(problemOf({ messages: 100, partitions: 3, faults: { deleteMirroredRecords: 34 } })).toBeUndefined();
    const target = {
      upstreamBootstrap: ['u:1'],
      downstreamBootstrap: ['d:1'],
      connectUrl: 'http://c',
      schemaRegistryUrl: 'http://s',
      elasticsearchUrl: 'http://e',
      prometheusUrl: 'http://p',
    };
    expect(problemOf({ target, labId: 'default' })).toMatch(
      /against a target, the drill's own apps need a lab id of their own, not "default"/,
    );
    expect(problemOf({ target: { ...target, name: 'staging' } })).toBeUndefined();
  });

  it('refuses a negative rate', () => {
    expect(problemOf({ rate: -1 })).toMatch(/rate -1/);
  });
});

describe('the CLI refuses a --schema-v2 file that avsc rejects', () => {
  it('names the file and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-schema-'));
    const f = join(dir, 'bad.avsc');
    writeFileSync(f, JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'a', type: 'no-such-type' }] }));
    expect(() => drillInputFromFlags({ 'schema-v2': f })).toThrow(/bad\.avsc is not a valid Avro schema/);
  });
});

describe('target file fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-target-fields-'));
  const file = (text: string) => {
    const p = join(dir, `t${Math.random()}.yaml`);
    writeFileSync(p, text);
    return p;
  };
  const base = (over: string) => `
upstream: { bootstrap: [up:9092] }
downstream: { bootstrap: [down:9092] }
connect: { url: http://connect:8083 }
schemaRegistry: { url: http://sr:8081 }
elasticsearch: { url: http://es:9200 }
prometheus: { url: http://prom:9090 }
${over}`;
  it('refuses a bootstrap entry that is not host:port', () => {
    expect(() => loadTargetFile(file(base('').replace('[up:9092]', '[up]')))).toThrow(/upstream\.bootstrap entry "up" is not host:port/);
    expect(() => loadTargetFile(file(base('').replace('[down:9092]', 'down:9092')))).toThrow(/downstream\.bootstrap/);
  });
  it('refuses a URL that is not http(s)', () => {
    expect(() => loadTargetFile(file(base('').replace('http://es:9200', 'es:9200')))).toThrow(
      /elasticsearch\.url "es:9200" is not an http\(s\) URL/,
    );
  });
  it('refuses connectors that are not a list and a register that is not a boolean', () => {
    expect(() =>
      loadTargetFile(file(base('').replace('{ url: http://connect:8083 }', '{ url: http://connect:8083, connectors: mm2 }'))),
    ).toThrow(/connect\.connectors/);
    expect(() =>
      loadTargetFile(file(base('').replace('{ url: http://connect:8083 }', '{ url: http://connect:8083, register: "yes" }'))),
    ).toThrow(/connect\.register/);
  });
  it('accepts a valid file', () => {
    expect(loadTargetFile(file(base(''))).upstreamBootstrap).toEqual(['up:9092']);
  });
});

describe('the drill input is declared once', () => {
  it('docs/drill-input.schema.json is what the schema generates (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../docs/drill-input.schema.json'), 'utf8'));
    expect(committed).toEqual(drillInputJsonSchema());
  });

  it('gives every flag its help from the schema: the flags lab drill --help lists are the ones it accepts', () => {
    const help = DRILL_FLAGS_HELP;
    for (const flag of ['--images', '--connect-placement', '--no-produce', '--rate', '--delete-mirrored', '--target'])
      expect(help).toContain(flag);
    expect(Object.keys(DRILL_INPUT_OPTIONS).sort()).toEqual(DRILL_FLAGS.map((f) => f.flag).sort());
  });

  it('fills defaults from the schema and refuses unknown fields (a typo in the UI input)', () => {
    const c = resolveDrillInput({});
    expect(isInputProblem(c) ? c : { ...c, schemaV2: '…' }).toMatchObject({
      topology: 'lite',
      messages: 100,
      partitions: 3,
      replicationFactor: 1,
      keepLab: false,
      labId: 'default',
    });
    expect(problemOf({ mesages: 10 } as never)).toMatch(/unknown field "mesages"/);
    expect(problemOf({ messages: 0 })).toBe('messages 0 is out of range');
    expect(problemOf({ faults: { deleteMirroredRecords: -1 } })).toMatch(/faults\.deleteMirroredRecords -1 is out of range/);
  });

  it('reads flags into the input: numbers, booleans, nested fields, env fallbacks', () => {
    vi.stubEnv('LAB_ID', 'from-env');
    expect(drillInputFromFlags({ messages: '250', keep: true, 'delete-mirrored': '5', 'no-produce': false })).toEqual({
      labId: 'from-env',
      messages: 250,
      keepLab: true,
      faults: { deleteMirroredRecords: 5 },
    });
    expect(() => drillInputFromFlags({ rate: 'fast' })).toThrow(/--rate "fast" is not a number/);
  });
});
