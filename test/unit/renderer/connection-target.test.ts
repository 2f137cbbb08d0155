import { describe, expect, it } from 'vitest';
import {
  parseStored,
  takeTarget,
  targetForToken,
} from '../../../src/renderer/src/connection-target.ts';

describe('connection target', () => {
  it('takes the token from the address and leaves an address without it', () => {
    const { target, clean } = takeTarget('http://127.0.0.1:7000/#token=abc123&ws=ws://h:1/ws');
    expect(target).toEqual({ url: 'ws://h:1/ws', token: 'abc123' });
    expect(clean).toBe('http://127.0.0.1:7000/#/dashboard');
    expect(clean).not.toContain('abc123');
  });

  it('keeps a view route when there is no token in the address', () => {
    const { target, clean } = takeTarget('http://127.0.0.1:7000/#/trades');
    expect(target).toBeNull();
    expect(clean).toBe('http://127.0.0.1:7000/#/trades');
  });

  it('builds a target from a typed token and reads a stored one back', () => {
    const t = targetForToken('http://127.0.0.1:7000/#/dashboard', ' token=xyz ');
    expect(t).toEqual({ url: 'ws://127.0.0.1:7000/ws', token: 'xyz' });
    expect(parseStored(JSON.stringify(t))).toEqual(t);
    expect(parseStored('garbage')).toBeNull();
    expect(targetForToken('http://127.0.0.1:7000/', '   ')).toBeNull();
  });
});
