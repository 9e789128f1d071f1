/**
 * Docker multiplexes a non-TTY container's stdout and stderr into frames of an 8-byte header
 * (stream, 3 zero bytes, big-endian length) and a payload; this returns the payloads as text.
 */
export function demuxDockerStream(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && buf[i] <= 2 && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 0) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  // Anything left is not framed (a TTY container): keep it as it is.
  if (i < buf.length) parts.push(buf.subarray(i));
  return Buffer.concat(parts).toString('utf8');
}
