/**
 * `botdesk token` and the TLS/bind flags of `botdesk serve` (real CLI processes).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-token-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(path.join(dataDir, name), 'utf8').trim();

describe('botdesk token', () => {
  it('rotate writes new private control and read-only tokens without printing them', async () => {
    const res = await runCli(['token', 'rotate', '--data-dir', dataDir]);
    expect(res.code, res.stderr).toBe(0);
    const control = read('server-token');
    const watch = read('server-token-read');
    expect(control).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(watch).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(control).not.toBe(watch);
    for (const f of ['server-token', 'server-token-read'])
      expect(statSync(path.join(dataDir, f)).mode & 0o777).toBe(0o600);
    expect(res.stdout + res.stderr).not.toContain(control);
    expect(res.stdout).toContain('No server is recorded');
  });

  it('rotate --which read replaces only the read-only token', async () => {
    const control = read('server-token');
    const watch = read('server-token-read');
    const res = await runCli(['token', 'rotate', '--which', 'read', '--data-dir', dataDir]);
    expect(res.code, res.stderr).toBe(0);
    expect(read('server-token')).toBe(control);
    expect(read('server-token-read')).not.toBe(watch);
  });

  it('show prints the token asked for', async () => {
    const control = await runCli(['token', 'show', '--data-dir', dataDir]);
    expect(control.stdout.trim()).toBe(read('server-token'));
    const watch = await runCli([
      'token',
      'show',
      '--which',
      'read',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(JSON.parse(watch.stdout)).toEqual({ which: 'read', token: read('server-token-read') });
  });

  it('bad usage is exit 2 and changes nothing', async () => {
    const before = read('server-token');
    for (const args of [['token'], ['token', 'spin'], ['token', 'rotate', '--which', 'both']]) {
      const res = await runCli([...args, '--data-dir', dataDir]);
      expect(res.code, args.join(' ')).toBe(2);
    }
    expect(read('server-token')).toBe(before);
  });
});

describe('botdesk serve: TLS and binding', () => {
  it('refuses a non-loopback --host without TLS or --insecure, before creating anything', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'botdesk-serve-bind-'));
    try {
      const res = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', fresh]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--insecure');
      expect(() => statSync(path.join(fresh, 'server-token'))).toThrow();
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('wants --tls-cert and --tls-key together, and says which file it cannot read', async () => {
    const half = await runCli(['serve', '--tls-cert', 'c.pem', '--data-dir', dataDir]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--tls-cert and --tls-key go together');
    const missing = await runCli([
      'serve',
      '--tls-cert',
      '/nonexistent/cert.pem',
      '--tls-key',
      '/nonexistent/key.pem',
      '--data-dir',
      dataDir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the TLS certificate /nonexistent/cert.pem');
  });
});
