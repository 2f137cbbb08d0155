/**
 * Whether a host is this machine's loopback: the server's bind check and the desktop
 * app's ws:// warning both ask it (in the contract, so validation and main agree).
 */

/** Loopback addresses only; a wildcard (0.0.0.0, ::) or a named host may be reachable from outside. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A ws:// (not TLS) address of another machine: its token and all its traffic would
 * cross the network unencrypted. False for wss://, loopback and unparsable addresses.
 */
export function isInsecureRemoteUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'ws:' && !isLoopbackHost(parsed.hostname);
}
