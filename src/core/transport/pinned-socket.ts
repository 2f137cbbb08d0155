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
 * between the two connections is refused too).
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
  validTo: string;
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

/** Sockets (for connectWs) that accept only the certificate `cert` with fingerprint `fingerprint`. */
export function pinnedSocketFactory(cert: PeerCertificateInfo): SocketFactory {
  // ws hands these to tls.connect; its typings describe checkServerIdentity differently from Node's.
  const checkServerIdentity = (_host: string, peer: PeerCertificate): Error | undefined =>
    peer.fingerprint256 === cert.fingerprint
      ? undefined
      : new Error(
          `certificate mismatch: expected SHA-256 ${cert.fingerprint}, got ${peer.fingerprint256}`,
        );
  const options = {
    ca: [cert.pem, ...rootCertificates],
    checkServerIdentity,
    perMessageDeflate: false,
  } as unknown as ClientOptions;
  return (url, protocols) => new NodeWebSocket(url, protocols, options) as unknown as WebSocket;
}

/** Plain Node sockets (ws://), with the same error detail as pinned ones (e.g. `401`). */
export const plainSocketFactory: SocketFactory = (url, protocols) =>
  new NodeWebSocket(url, protocols, { perMessageDeflate: false }) as unknown as WebSocket;
