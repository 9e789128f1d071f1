import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { TemporalSettingsError, TemporalUnreachableError, type LabError } from '../errors';
import type { TemporalSettings } from './config';

type Tls = { serverNameOverride?: string; serverRootCACertificate?: Uint8Array; clientCertPair?: { crt: Uint8Array; key: Uint8Array } };

/**
 * Why a configured Temporal server could not be reached. The SDK's client only says "Failed to
 * connect before the deadline" whatever the cause, so this repeats the first steps itself: TCP,
 * then (with TLS settings) the TLS handshake with the same CA, client certificate and server
 * name, and names the setting to fix. Its messages are Node's and never hold key material.
 */
export async function diagnoseConnectFailure(s: TemporalSettings, sdkMessage: string, timeoutMs = 3000): Promise<LabError> {
  const address = s.connection.address;
  const { host, port } = splitAddress(address);
  const unreachable = (detail: string) => new TemporalUnreachableError(address, detail, s.origin);
  const tcp = await attempt(() => netConnect({ host, port }), 'connect', timeoutMs);
  if (tcp.error) return unreachable(tcp.error.code === 'ECONNREFUSED' ? 'connection refused' : tcp.error.message);
  if (tcp.timedOut) return unreachable(`no answer within ${timeoutMs / 1000} s`);

  const tls = typeof s.connection.tls === 'object' && s.connection.tls ? (s.connection.tls as Tls) : s.connection.tls ? {} : undefined;
  if (!tls) {
    // Plain gRPC to a port that answers: a server that wants TLS looks the same to the SDK.
    const probe = await attempt(
      () => tlsConnect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], ...sni(host) }),
      'secureConnect',
      timeoutMs,
    );
    if (!probe.error && !probe.timedOut) {
      return new TemporalSettingsError(
        `the Temporal server at ${address} requires TLS`,
        'set TEMPORAL_TLS=true and TEMPORAL_TLS_SERVER_CA_CERT_PATH (plus TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH for mTLS), or the tls section of your profile',
      );
    }
    return unreachable(sdkMessage);
  }

  const options: ConnectionOptions = {
    host,
    port,
    ALPNProtocols: ['h2'],
    ...sni(tls.serverNameOverride ?? host),
    ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
    ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
  };
  // In TLS 1.3 a server refuses a client certificate after the handshake: wait a moment for its alert.
  const handshake = await attempt(() => tlsConnect(options), 'secureConnect', timeoutMs, 1000);
  const e = handshake.error;
  if (!e) return unreachable(sdkMessage);
  const code = e.code ?? '';
  const reason = opensslReason(e.message);
  const tlsError = (problem: string, fix: string) =>
    new TemporalSettingsError(`TLS with the Temporal server at ${address} failed: ${problem}`, fix);
  if (/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code)) {
    return tlsError(
      `${e.message} (the server's certificate is not signed by the CA we trust)`,
      "set TEMPORAL_TLS_SERVER_CA_CERT_PATH (or server_ca_cert_path in the profile's tls section) to the CA that signed the server's certificate",
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return tlsError(
      e.message,
      "set TEMPORAL_TLS_SERVER_NAME (or server_name in the profile's tls section) to a name in the server's certificate",
    );
  }
  if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(code))
    return tlsError(e.message, "renew the server's certificate, or check this machine's clock");
  if (/key values mismatch|PEM|no start line|bad decrypt/i.test(reason)) {
    return tlsError(reason, `check ${s.tlsSettings}: the client certificate and key must be a pair, in PEM`);
  }
  if (/certificate|alert|handshake failure/i.test(e.message) || /ALERT|ERR_SSL|EOF_AFTER_HANDSHAKE/.test(code)) {
    return tlsError(
      `${reason} (the server refused our client certificate)`,
      `set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH to a pair signed by a CA the server trusts${s.tlsSettings.includes('profile') ? " (or the profile's tls section)" : ''}`,
    );
  }
  return tlsError(reason, `check ${s.tlsSettings}`);
}

/** OpenSSL's "80AC...:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/..." to its reason. */
function opensslReason(message: string): string {
  const m = /routines:[^:]*:([^:]+)/.exec(message);
  return (m?.[1] ?? message).trim();
}

const sni = (name: string) => (isIP(name) ? {} : { servername: name });

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

/** Opens a socket and waits for `event` (then `settleMs` more for a late error), an error, or the timeout. */
function attempt(
  open: () => Socket,
  event: 'connect' | 'secureConnect',
  timeoutMs: number,
  settleMs = 0,
): Promise<{ error?: NodeJS.ErrnoException; timedOut?: boolean }> {
  return new Promise((resolve) => {
    let socket: Socket;
    let done = false;
    const finish = (r: { error?: NodeJS.ErrnoException; timedOut?: boolean }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    try {
      socket = open();
    } catch (e) {
      finish({ error: e as NodeJS.ErrnoException }); // a certificate and key that are no pair fail here
      return;
    }
    socket.on('error', (error) => finish({ error }));
    socket.on(event, () => {
      socket.resume(); // read, so that an alert the server sends after the handshake arrives
      // Some servers refuse a client certificate by hanging up without an alert; a gRPC server
      // that accepted the handshake keeps the connection open.
      if (settleMs)
        socket.on('end', () =>
          finish({
            error: Object.assign(new Error('the server closed the connection right after the TLS handshake'), {
              code: 'EOF_AFTER_HANDSHAKE',
            }),
          }),
        );
      setTimeout(() => finish({}), settleMs);
    });
  });
}
