import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe("the package's entry", () => {
  it('resolves by its name to the library module, from source', () => {
    // Node's own resolver, as a project that installs kafka-lab would use it (self-reference by name)
    expect(createRequire(__filename).resolve('kafka-lab')).toBe(resolve(__dirname, '../../src/index.ts'));
  });
});
