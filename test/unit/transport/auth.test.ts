import { describe, expect, it } from 'vitest';
import {
  hostAllowed,
  offeredProtocols,
  originAllowed,
  tokenFromProtocols,
  tokensEqual,
} from '../../../src/core/transport/auth.ts';

const loopback = { bindHost: '127.0.0.1', allowedOrigins: [] };

describe('handshake checks', () => {
  it('reads the token from the offered subprotocols, never from others', () => {
    const offered = offeredProtocols(['botdesk.v1, botdesk.token.abc', 'other']);
    expect(offered).toEqual(['botdesk.v1', 'botdesk.token.abc', 'other']);
    expect(tokenFromProtocols(offered)).toBe('abc');
    expect(tokenFromProtocols(offeredProtocols('botdesk.v1'))).toBeNull();
    expect(tokenFromProtocols(offeredProtocols(undefined))).toBeNull();
  });

  it('compares tokens exactly, whatever their lengths', () => {
    expect(tokensEqual('same-token-0123456789', 'same-token-0123456789')).toBe(true);
    expect(tokensEqual('same-token-0123456789', 'same-token-012345678')).toBe(false);
    expect(tokensEqual('', 'x')).toBe(false);
  });

  it('a loopback server answers only to names of itself', () => {
    for (const host of ['127.0.0.1:8745', 'localhost:8745', '[::1]:8745', 'LOCALHOST']) {
      expect(hostAllowed(host, loopback), host).toBe(true);
    }
    for (const host of ['attacker.example:8745', '10.0.0.5:8745', undefined, '']) {
      expect(hostAllowed(host, loopback), String(host)).toBe(false);
    }
    const lan = { bindHost: '192.168.1.20', allowedOrigins: ['http://desk.lan:8745'] };
    expect(hostAllowed('192.168.1.20:8745', lan)).toBe(true);
    expect(hostAllowed('desk.lan:8745', lan)).toBe(true);
    expect(hostAllowed('other.lan:8745', lan)).toBe(false);
    expect(hostAllowed('anything:1', { bindHost: '0.0.0.0', allowedOrigins: [] })).toBe(true);
  });

  it('accepts no Origin, same-origin and configured origins only', () => {
    expect(originAllowed(undefined, '127.0.0.1:8745', loopback)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8745', '127.0.0.1:8745', loopback)).toBe(true);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8745', loopback)).toBe(false);
    expect(originAllowed('https://evil.example', '127.0.0.1:8745', loopback)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8745', loopback)).toBe(false);
    const dev = { bindHost: '127.0.0.1', allowedOrigins: ['http://localhost:5173'] };
    expect(originAllowed('http://localhost:5173', '127.0.0.1:8745', dev)).toBe(true);
  });
});
