import { readFileSync } from 'node:fs';
import { pack } from 'tar-stream';
import type { NodeFile } from '../lab/node-spec';

/** Packs files into a tar stream rooted at `/`, for `container.putArchive`. */
export function packFiles(files: NodeFile[]): NodeJS.ReadableStream {
  const tar = pack();
  for (const f of files) {
    const body = f.hostPath ? readFileSync(f.hostPath) : Buffer.from(f.content ?? '');
    tar.entry({ name: f.path.replace(/^\//, ''), mode: f.mode ?? 0o644 }, body);
  }
  tar.finalize();
  return tar as unknown as NodeJS.ReadableStream;
}
