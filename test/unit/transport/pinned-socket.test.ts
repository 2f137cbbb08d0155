/**
 * Certificate pinning of the Node client: the pinned certificate connects, a
 * different one is refused before a byte of the upgrade request (which carries
 * the token) reaches the server.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { connectWs } from '../../../src/core/api/ws-client.ts';
import {
  CERT_FINGERPRINT_MISMATCH,
  pinnedSocketFactory,
  probeCertificate,
  tlsFailure,
} from '../../../src/core/transport/pinned-socket.ts';
import { normalizeFingerprint } from '../../../src/core/transport/tls-identity.ts';
import { startWsServer } from '../../../src/core/transport/ws-server.ts';
import { makeSelfSignedCert } from '../../support/tls-cert.ts';
import { createFakeHost } from './fake-host.ts';

const TOKEN = 'pinned-token-0123456789abcdef';
const cert = makeSelfSignedCert('pinned');
const other = makeSelfSignedCert('impostor');
afterAll(() => {
  rmSync(cert.dir, { recursive: true, force: true });
  rmSync(other.dir, { recursive: true, force: true });
});

describe('pinned TLS client', () => {
  it('reads the certificate, connects when it matches the pin', async () => {
    const host = createFakeHost();
    const server = await startWsServer({
      dispatch: host.dispatch,
      bus: host.bus,
      token: TOKEN,
      tls: { cert: cert.cert, key: cert.key },
    });
    try {
      const seen = await probeCertificate(server.url);
      expect(seen.fingerprint).toBe(cert.fingerprint);
      const conn = await connectWs({
        url: server.url,
        token: TOKEN,
        createSocket: pinnedSocketFactory(seen),
      });
      expect((await conn.api.bot.status()).state).toBe('idle');
      await conn.close();
    } finally {
      await server.close();
    }
  });

  it('refuses another certificate without sending the token', async () => {
    let received = '';
    const errors: Error[] = [];
    const impostor: Server = createServer({ cert: other.cert, key: other.key }, (socket) => {
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as { port: number }).port;
    const url = `wss://127.0.0.1:${port}/ws`;
    try {
      const presented = await probeCertificate(url);
      expect(presented.fingerprint).toBe(other.fingerprint);
      // the client expects the real server's certificate
      const pinned = { ...presented, fingerprint: cert.fingerprint };
      await expect(
        connectWs({
          url,
          token: TOKEN,
          createSocket: pinnedSocketFactory(pinned, (err) => errors.push(err)),
          connectTimeoutMs: 5000,
        }),
      ).rejects.toThrow(/certificate mismatch/);
      expect(tlsFailure(errors[0], pinned)?.code).toBe(CERT_FINGERPRINT_MISMATCH);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).not.toContain(TOKEN);
      expect(received).toBe('');
    } finally {
      impostor.close();
    }
  });

  it('tells TLS failures a retry cannot fix from ones it may', () => {
    const seen = {
      fingerprint: 'AA',
      pem: '',
      subject: 'CN=x',
      validFrom: 'Jan 1',
      validTo: 'Jan 2',
    };
    const failure = (code: string) => tlsFailure(Object.assign(new Error(code), { code }), seen);
    expect(failure('CERT_HAS_EXPIRED')).toEqual({
      code: 'CERT_HAS_EXPIRED',
      problem: 'has expired (valid until Jan 2)',
    });
    for (const code of [
      'CERT_NOT_YET_VALID',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      CERT_FINGERPRINT_MISMATCH,
    ])
      expect(failure(code)?.code).toBe(code);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPROTO'])
      expect(failure(code)).toBeNull();
    expect(tlsFailure(null, seen)).toBeNull();
    expect(tlsFailure(new Error('no code'), null)).toBeNull();
  });

  it('normalizes fingerprints as users paste them', () => {
    const canonical = cert.fingerprint;
    expect(normalizeFingerprint(canonical.toLowerCase())).toBe(canonical);
    expect(normalizeFingerprint(canonical.replace(/:/g, ''))).toBe(canonical);
    expect(normalizeFingerprint(`sha256 Fingerprint=${canonical}`)).toBe(canonical); // openssl's output
    expect(normalizeFingerprint(`SHA256:${canonical}`)).toBe(canonical);
    expect(normalizeFingerprint('abc')).toBeNull();
  });
});
