import type Docker from 'dockerode';

/** Creates a bridge network unless one of that exact name exists (idempotent under retry). */
export async function ensureNetwork(docker: Docker, name: string, labels: Record<string, string>): Promise<'created' | 'reused'> {
  const found = await docker.listNetworks({ filters: JSON.stringify({ name: [name] }) });
  if (found.some((n) => n.Name === name)) return 'reused';
  await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels, CheckDuplicate: true });
  return 'created';
}
