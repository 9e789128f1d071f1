import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ephemeralPortRange } from '../../src/docker/ports';
import { HOST_PORT_BASE, maxOffsetBelow } from '../../src/domain/ports';
import { MAX_BROKERS } from '../../src/domain/lab-settings';
import { PortInUseError } from '../../src/errors';

describe('host ports and the kernel ephemeral range', () => {
  it('gives the largest offset that keeps the highest lab port (the last downstream broker) below a limit', () => {
    const max = maxOffsetBelow(32768);
    expect(HOST_PORT_BASE.downstreamKafka + MAX_BROKERS - 1 + max).toBe(32767);
  });

  it('reads the range the way Linux writes it, and gives undefined where there is none', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ports-')), 'range');
    writeFileSync(file, '32768\t60999\n');
    expect(ephemeralPortRange(file)).toEqual({ from: 32768, to: 60999 });
    expect(ephemeralPortRange(join(file, 'missing'))).toBeUndefined();
  });

  it('names the ephemeral range and the largest safe offset only when the port lies in it', () => {
    const range = { from: 32768, to: 60999, maxOffset: 3667 };
    expect(new PortInUseError('127.0.0.1', 38092, 'down-kafka-1', range).oneLine()).toMatch(
      /38092 for down-kafka-1 is already in use.*--port-offset N, at most 3667: .*ephemeral range 32768-60999/,
    );
    const below = new PortInUseError('127.0.0.1', 29092, 'down-kafka-1', range).oneLine();
    expect(below).toMatch(/free the port, or pick other ports with --port-offset N/);
    expect(below).not.toMatch(/ephemeral/);
  });
});
