import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../src/renderer/src/routes.ts';

describe('hash routes', () => {
  it('reads the view from the hash, the dashboard by default', () => {
    expect(routeOf('#/positions')).toBe('positions');
    expect(routeOf('#/trades?page=2')).toBe('trades');
    expect(routeOf('#settings')).toBe('settings');
    expect(routeOf('')).toBe('dashboard');
    expect(routeOf('#token=abc')).toBe('dashboard');
    expect(routeOf('#/nope')).toBe('dashboard');
  });
});
