/**
 * Handshake checks of the WebSocket/HTTP server: the token (offered as a
 * subprotocol, compared in constant time), the Origin of browser clients and the
 * Host header (so a DNS-rebinding page cannot reach a loopback server).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { WS_TOKEN_PREFIX } from '../api/ws-protocol.ts';

/** The values of a `Sec-WebSocket-Protocol` header (comma-separated, may repeat). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function tokenFromProtocols(protocols: readonly string[]): string | null {
  const offered = protocols.find((p) => p.startsWith(WS_TOKEN_PREFIX));
  return offered === undefined ? null : offered.slice(WS_TOKEN_PREFIX.length);
}

/** Constant-time comparison; hashing first makes it independent of the lengths too. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

export interface HandshakePolicy {
  /** The address the server is bound to. */
  bindHost: string;
  /** Extra origins allowed besides same-origin and none (exact `scheme://host[:port]`). */
  allowedOrigins: readonly string[];
}

/**
 * A server bound to one address answers only to Host names that mean that address
 * (loopback names, the address itself, the hosts of allowed origins): a page on
 * another site that rebinds its DNS name to 127.0.0.1 is refused.
 */
export function hostAllowed(hostHeader: string | undefined, policy: HandshakePolicy): boolean {
  if (WILDCARD_HOSTS.has(policy.bindHost)) return true;
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (name === '') return false;
  if (LOOPBACK_NAMES.has(name) || name === hostnameOf(policy.bindHost)) return true;
  return policy.allowedOrigins.some((o) => {
    const h = originHost(o);
    return h !== null && hostnameOf(h) === name;
  });
}

/** No Origin (a non-browser client) and same-origin pages pass; others must be allowed explicitly. */
export function originAllowed(
  origin: string | undefined,
  hostHeader: string | undefined,
  policy: HandshakePolicy,
): boolean {
  if (origin === undefined) return true;
  if (policy.allowedOrigins.includes(origin)) return true;
  const host = originHost(origin);
  return host !== null && hostHeader !== undefined && host === hostHeader.toLowerCase();
}
