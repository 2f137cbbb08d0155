/**
 * A WebSocket to a remote BotDesk whose TLS certificate is pinned by its SHA-256
 * fingerprint (trust on first use, as SSH does with host keys), for Node clients
 * (the desktop main process, the CLI). A self-signed certificate is the normal
 * case, so the public CAs cannot vouch for it; the pin does.
 *
 * The token travels in the upgrade request, so the certificate is checked before
 * any byte of it is sent: first a bare TLS handshake reads the certificate (no
 * data written); then the WebSocket connects trusting exactly that certificate,
 * and its checkServerIdentity accepts only the pinned fingerprint (so a swap
 * between the two connections is refused too). A certificate from a private
 * authority is pinned like a self-signed one (the pin, not the authority, is
 * trusted); one that fails for a reason a retry cannot fix (expired, not yet
 * valid, unverifiable) is told apart by tlsFailure.
 */
import { connect as tlsConnect, rootCertificates, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import { WebSocket as NodeWebSocket, type ClientOptions } from 'ws';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type { SocketFactory } from '../api/ws-client.ts';

export interface PeerCertificateInfo {
  fingerprint: string;
  pem: string;
  subject: string;
  validFrom: string;
  validTo: string;
}

/** The code of a certificate that is not the pinned one (set on the error pinned sockets raise). */
export const CERT_FINGERPRINT_MISMATCH = 'CERT_FINGERPRINT_MISMATCH';

/**
 * TLS failures a retry cannot fix, by the code Node (OpenSSL) gives them: what to tell
 * the user. Anything else (a refused or reset connection, a timeout) may be transient.
 */
const PERMANENT_TLS: Record<string, (cert: PeerCertificateInfo | null) => string> = {
  CERT_HAS_EXPIRED: (c) => `has expired${c ? ` (valid until ${c.validTo})` : ''}`,
  CERT_NOT_YET_VALID: (c) =>
    `is not valid yet${c ? ` (valid from ${c.validFrom})` : ''}; check both machines' clocks`,
  DEPTH_ZERO_SELF_SIGNED_CERT: () => 'is self-signed and not the pinned one',
  SELF_SIGNED_CERT_IN_CHAIN: () => 'comes with a chain that cannot be verified',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => 'cannot be verified (its issuer is unknown)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => 'cannot be verified (its issuer is unknown)',
  UNABLE_TO_GET_ISSUER_CERT: () => 'cannot be verified (its issuer is unknown)',
  CERT_SIGNATURE_FAILURE: () => 'has an invalid signature',
  ERR_TLS_CERT_ALTNAME_INVALID: () => 'does not name this host',
  [CERT_FINGERPRINT_MISMATCH]: () => 'is not the pinned one',
};

export interface TlsFailure {
  /** Node's code, e.g. CERT_HAS_EXPIRED. */
  code: string;
  /** What is wrong with the certificate, to follow "the TLS certificate of X …". */
  problem: string;
}

/** A permanent TLS failure (see PERMANENT_TLS), or null for an error a retry may fix. */
export function tlsFailure(err: unknown, cert: PeerCertificateInfo | null): TlsFailure | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const describe = PERMANENT_TLS[code];
  return describe ? { code, problem: describe(cert) } : null;
}

/** The certificate a TLS server presents (handshake only, nothing sent). */
export function probeCertificate(url: string, timeoutMs = 10_000): Promise<PeerCertificateInfo> {
  const target = new URL(url);
  if (target.protocol !== 'wss:' && target.protocol !== 'https:')
    return Promise.reject(
      new BotDeskError('INVALID_INPUT', `${url} is not a TLS address (wss://)`),
    );
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || 443);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      // Deliberately unverified: this connection only reads the certificate to compare it with the pin.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new BotDeskError('TIMEOUT', `no TLS handshake with ${host}:${port} within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (!cert) {
        reject(new BotDeskError('TRANSPORT_ERROR', `${host}:${port} presented no certificate`));
        return;
      }
      resolve({
        fingerprint: cert.fingerprint256,
        pem: cert.toString(),
        subject: cert.subject,
        validFrom: cert.validFrom,
        validTo: cert.validTo,
      });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(
        new BotDeskError(
          'TRANSPORT_ERROR',
          `no TLS connection to ${host}:${port}: ${toErrorInfo(err).message}`,
        ),
      );
    });
  });
}

/**
 * Sockets (for connectWs) that accept only the certificate `cert` with fingerprint `fingerprint`.
 * `onError` sees the socket's own error (with Node's `code`), which connectWs reduces to text.
 */
export function pinnedSocketFactory(
  cert: PeerCertificateInfo,
  onError?: (err: Error) => void,
): SocketFactory {
  // ws hands these to tls.connect; its typings describe checkServerIdentity differently from Node's.
  const checkServerIdentity = (_host: string, peer: PeerCertificate): Error | undefined => {
    if (peer.fingerprint256 === cert.fingerprint) return undefined;
    return Object.assign(
      new Error(
        `certificate mismatch: expected SHA-256 ${cert.fingerprint}, got ${peer.fingerprint256}`,
      ),
      { code: CERT_FINGERPRINT_MISMATCH },
    );
  };
  const options = {
    ca: [cert.pem, ...rootCertificates],
    // The pinned certificate is a trust anchor even when a private authority issued it.
    allowPartialTrustChain: true,
    checkServerIdentity,
    perMessageDeflate: false,
  } as unknown as ClientOptions;
  return (url, protocols) => {
    const socket = new NodeWebSocket(url, protocols, options);
    if (onError) socket.on('error', onError);
    return socket as unknown as WebSocket;
  };
}

/** Plain Node sockets (ws://), with the same error detail as pinned ones (e.g. `401`). */
export const plainSocketFactory: SocketFactory = (url, protocols) =>
  new NodeWebSocket(url, protocols, { perMessageDeflate: false }) as unknown as WebSocket;
