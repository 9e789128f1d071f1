/**
 * kafkajs 2.2.4 arms a negative timer whenever its request queue is not throttled (tulios/kafkajs
 * issue 1751, unfixed): Node runs it after 1 ms, as every Node did, but since Node 23 also prints a
 * TimeoutNegativeWarning for the first negative timer of a process. That warning is dropped when
 * kafkajs raised it; any other warning, or a negative timer of this project's own that comes first,
 * is printed as before.
 */
export function dropKafkajsNegativeTimerWarning(): void {
  if (installed) return;
  installed = true;
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning' && /[/\\]kafkajs[/\\]/.test(new Error().stack ?? '')) return;
    return (emit as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
}

let installed = false;
