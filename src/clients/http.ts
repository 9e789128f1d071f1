import { ServiceUnreachableError } from '../errors';

export interface HttpResult<T> {
  status: number;
  body: T;
}

/**
 * JSON over HTTP with a timeout. Connection failures become ServiceUnreachableError (retryable);
 * HTTP statuses are returned for the caller to judge.
 */
export async function httpJson<T = unknown>(
  service: string,
  url: string,
  init: { method?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(init.timeoutMs ?? 5000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ServiceUnreachableError(service, url, cause);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T };
}
