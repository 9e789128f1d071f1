import { ServiceUnreachableError } from '../errors';
import { httpJson } from './http';

/** Toxiproxy's HTTP API: the proxies it runs and the toxics on each (github.com/Shopify/toxiproxy). */
export interface Toxic {
  name: string;
  type: 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'slow_close' | 'slicer' | 'limit_data';
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export interface Proxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

const SERVICE = 'Toxiproxy';

async function call<T>(apiUrl: string, path: string, method = 'GET', body?: unknown): Promise<T> {
  const r = await httpJson<T>(SERVICE, `${apiUrl}${path}`, { method, body });
  if (r.status >= 300)
    throw new ServiceUnreachableError(SERVICE, `${apiUrl}${path}`, `${method} answered HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export const listProxies = async (apiUrl: string): Promise<Proxy[]> => Object.values(await call<Record<string, Proxy>>(apiUrl, '/proxies'));

export const addToxic = (apiUrl: string, proxy: string, toxic: Toxic) => call<Toxic>(apiUrl, `/proxies/${proxy}/toxics`, 'POST', toxic);

export const removeToxic = (apiUrl: string, proxy: string, toxic: string) =>
  call<unknown>(apiUrl, `/proxies/${proxy}/toxics/${toxic}`, 'DELETE');
