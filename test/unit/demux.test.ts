import { describe, expect, it } from 'vitest';
import { demuxDockerStream } from '../../src/docker/demux';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe('demuxDockerStream', () => {
  it('joins the payloads of stdout and stderr frames, whatever bytes the lengths hold', () => {
    // 40 bytes long: the length byte is "(", which a character filter would have kept
    const line = '20000 records sent, 11461.3 records/sec\n'.padEnd(40, ' ');
    expect(demuxDockerStream(Buffer.concat([frame(1, line), frame(2, 'warn\n')]))).toBe(`${line}warn\n`);
  });
  it('keeps unframed (TTY) output as it is', () => {
    expect(demuxDockerStream(Buffer.from('plain text'))).toBe('plain text');
  });
});
