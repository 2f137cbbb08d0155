/**
 * TLS certificates as BotDesk shows them: the SHA-256 fingerprint (`AA:BB:…`,
 * the form `openssl x509 -fingerprint -sha256` prints) is what the desktop app
 * pins on first use and what `botdesk serve` prints, so a user can compare them.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type { TlsFiles } from './ws-server-types.ts';

export function certificateFingerprint(pemOrDer: string | Buffer): string {
  try {
    return new X509Certificate(pemOrDer).fingerprint256;
  } catch (err) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `not a readable X.509 certificate: ${toErrorInfo(err).message}`,
    );
  }
}

/**
 * Accepts `aa:bb…`, `AABB…`, `SHA256:AA:BB…` or openssl's `sha256 Fingerprint=AA:BB…`;
 * returns the canonical `AA:BB:…` or null.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^.*=/, '')
    .replace(/^sha-?256[/: ]*/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** Read --tls-cert / --tls-key; a missing or unreadable file is a clear error naming it. */
export function readTlsFiles(
  certFile: string,
  keyFile: string,
): TlsFiles & { fingerprint: string } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `cannot read the TLS ${what} ${file}: ${toErrorInfo(err).message}`,
      );
    }
  };
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  return { cert, key, fingerprint: certificateFingerprint(cert) };
}
