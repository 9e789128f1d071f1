/** Renders a Java .properties file; keys keep their order. */
export function renderProperties(entries: Record<string, string | number | boolean>): string {
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}
