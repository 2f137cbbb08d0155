/**
 * A client of the contract (a remote one too) cannot make the server read a file of its
 * choosing through a replay config, and no error quotes a file's content.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../../src/core/api/dispatcher.ts';
import type { Envelope } from '../../../src/core/api/errors.ts';
import { createCoreHost, type CoreHost } from '../../../src/core/host/core-host.ts';
import { withLocalReplayFiles } from '../../../src/core/host/local-replay-files.ts';
import { parseCandleText } from '../../../src/core/market/candle-file.ts';
import { createConfSettingsStore } from '../../../src/core/settings/store.ts';

const SECRET = 'Sup3rSecretTokenValue-0123456789abcdef';
const T0 = Date.UTC(2025, 2, 1);

let dir: string;
let host: CoreHost;
let dispatch: Dispatch;

function candleCsv(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `${T0 + i * 60_000},100,101,99,100.5,5`);
  return ['timestamp,open,high,low,close,volume', ...rows].join('\n') + '\n';
}

function replay(file: string) {
  return {
    config: {
      mode: 'paper',
      symbols: ['BTC/USDT'],
      timeframe: '1m',
      market: { source: 'replay', file, speed: 1 },
    },
  };
}

function failed(res: Envelope<unknown>): { code: string; message: string } {
  expect(res.ok).toBe(false);
  return (res as { ok: false; error: { code: string; message: string } }).error;
}

async function logText(): Promise<string> {
  const res = await dispatch('logs:tail', { limit: 500 });
  return JSON.stringify(res);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-replay-files-'));
  // A secret the server can read: the server token beside the data, and a file elsewhere.
  writeFileSync(join(dir, 'server-token'), `${SECRET}\n`);
  writeFileSync(join(dir, 'elsewhere.txt'), `root:x:0:0:${SECRET}:/root:/bin/bash\n`);
  host = await createCoreHost({
    dataDir: join(dir, 'data'),
    settings: createConfSettingsStore(join(dir, 'data')),
    resume: false,
  });
  writeFileSync(join(dir, 'data', 'server-token'), `${SECRET}\n`);
  dispatch = createDispatcher(host.handlers);
});

afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('replay files come only from places the user chose', () => {
  it.each([
    ['a file outside the data folder', () => join(dir, 'elsewhere.txt')],
    ['the server token', () => join(dir, 'data', 'server-token')],
    ['a relative path climbing out of imports/', () => '../server-token'],
    ['/etc/passwd', () => '/etc/passwd'],
  ])('bot:start with %s is refused without reading it', async (_, file) => {
    const error = failed(await dispatch('bot:start', replay(file())));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('imports');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toMatch(/root:/);
    expect(await logText()).not.toContain(SECRET);
    expect((await dispatch('bot:status', undefined)).ok).toBe(true);
  });

  it('a file set in the settings is checked when the bot starts from them', async () => {
    const set = await dispatch('settings:set', {
      bot: { market: { source: 'replay', file: join(dir, 'data', 'server-token'), speed: 1 } },
    });
    expect(set.ok).toBe(true);
    const error = failed(await dispatch('bot:start', {}));
    expect(error.code).toBe('FORBIDDEN');
    expect(await logText()).not.toContain(SECRET);
  });

  it('a symbolic link in imports/ leading out is refused', async () => {
    symlinkSync(join(dir, 'data', 'server-token'), join(host.replayFiles.importsDir, 'link.csv'));
    const error = failed(await dispatch('bot:start', replay('link.csv')));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).not.toContain(SECRET);
  });

  it('a non-candle file inside imports/ fails without quoting it', async () => {
    writeFileSync(join(host.replayFiles.importsDir, 'notes.csv'), `${SECRET}\nmore\n`);
    const error = failed(await dispatch('bot:start', replay('notes.csv')));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('the header must be');
    expect(error.message).not.toContain(SECRET);
    expect(await logText()).not.toContain(SECRET);
  });

  it('a candle file in imports/ (by name) and a file the local user chose both replay', async () => {
    mkdirSync(host.replayFiles.importsDir, { recursive: true });
    writeFileSync(join(host.replayFiles.importsDir, 'btc.csv'), candleCsv(400));
    const byName = await dispatch('bot:start', replay('btc.csv'));
    expect(byName.ok, JSON.stringify(byName)).toBe(true);
    expect((await dispatch('bot:stop', {})).ok).toBe(true);

    const chosen = join(dir, 'chosen.csv');
    writeFileSync(chosen, candleCsv(400));
    expect(failed(await dispatch('bot:start', replay(chosen))).code).toBe('FORBIDDEN');
    host.replayFiles.allow(chosen);
    const res = await dispatch('bot:start', replay(chosen));
    expect(res.ok, JSON.stringify(res)).toBe(true);
    expect((await dispatch('bot:stop', {})).ok).toBe(true);
  });
});

describe('the desktop window names files for its local user', () => {
  it('a file named in a window request may replay; one a remote client saved in the settings may not', async () => {
    const local = createDispatcher(withLocalReplayFiles(host.handlers, host.replayFiles));
    const chosen = join(dir, 'typed-in-the-window.csv');
    writeFileSync(chosen, candleCsv(400));
    // A remote client stores a path in the settings; the desktop user presses Start.
    const planted = join(dir, 'planted.csv');
    writeFileSync(planted, candleCsv(400));
    await dispatch('settings:set', {
      bot: { market: { source: 'replay', file: planted, speed: 1 } },
    });
    expect(failed(await local('bot:start', {})).code).toBe('FORBIDDEN');
    // The window's own request names its file.
    const res = await local('bot:start', replay(chosen));
    expect(res.ok, JSON.stringify(res)).toBe(true);
    expect((await local('bot:stop', {})).ok).toBe(true);
  });
});

describe('candle file parse errors never quote the file', () => {
  const leaks = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain('root:x');
      return message;
    }
    throw new Error('expected a parse error');
  };

  it('a password-like file read as CSV', () => {
    leaks(() => parseCandleText(`root:x:0:0:${SECRET}:/root\n`, 'x.csv', 'csv'));
  });

  it('a JSON document that is not candles, or not JSON', () => {
    leaks(() => parseCandleText(`{"${SECRET}": 1}`, 'x.json', 'json'));
    leaks(() => parseCandleText(`[["${SECRET}", 1, 2, 3, 4, 5]]`, 'x.json', 'json'));
    leaks(() => parseCandleText(`${SECRET} root:x`, 'x.json', 'json'));
    leaks(() => parseCandleText(`{"a": "${SECRET}" `, 'x.json', 'json'));
  });

  it('rows with text where numbers belong', () => {
    const text = `timestamp,open,high,low,close,volume\n${SECRET},1,2,0.5,1,1\n${T0},${SECRET},2,0.5,1,1\n`;
    expect(leaks(() => parseCandleText(text, 'x.csv', 'csv'))).toMatch(/line 2: timestamp/);
  });
});
