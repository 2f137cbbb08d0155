import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CandleStore } from '../../../src/core/market/candle-store.ts';
import { loadOrCreateToken, writeServerInfo } from '../../../src/headless/server-files.ts';
import { runCli } from '../headless/run-cli.ts';

let root: string;
let previousUmask: number;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'botdesk-modes-'));
  // The usual desktop umask: without care, files come out 0644 and folders 0755.
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

/** Every entry below `dir` whose mode lets anyone but the owner in, with its mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) found.push(`${path.slice(root.length)} ${mode.toString(8)}`);
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

describe('the data folder is private (0700, files 0600)', () => {
  it('botdesk run over a new data folder leaves nothing readable by others', async () => {
    const dataDir = join(root, 'data');
    const res = await runCli([
      'run',
      '--data-dir',
      dataDir,
      '--speed',
      '3600',
      '--duration',
      '1500ms',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const names = readdirSync(dataDir);
    expect(names).toEqual(expect.arrayContaining(['settings.json', 'journal-paper.sqlite']));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('an existing folder and files made by an older version are tightened when opened', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'server-token'), 'a'.repeat(32), { mode: 0o644 });
    loadOrCreateToken(dataDir);
    CandleStore.inDataDir(dataDir).close();
    writeServerInfo(dataDir, { url: 'ws://x', httpUrl: 'http://x', pid: 1, startedAt: 0 });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('the candle store, token and server.json are created private', () => {
    const dataDir = join(root, 'fresh');
    const store = CandleStore.inDataDir(dataDir);
    store.insert({ exchange: 'x', symbol: 'BTC/USDT', timeframe: '1m' }, [
      { ts: 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 },
    ]);
    loadOrCreateToken(dataDir);
    writeServerInfo(dataDir, { url: 'ws://x', httpUrl: 'http://x', pid: 1, startedAt: 0 });
    const names = readdirSync(dataDir);
    expect(names).toEqual(
      expect.arrayContaining([
        'candles.sqlite',
        'candles.sqlite-wal',
        'server-token',
        'server.json',
      ]),
    );
    expect(openToOthers(dataDir)).toEqual([]);
    store.close();
  });
});
