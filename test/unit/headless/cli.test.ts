import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BotStatus, StrategyInfo } from '../../../src/core/api/schemas.ts';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { loadOrCreateToken } from '../../../src/headless/server-files.ts';
import { createFakeHost } from '../transport/fake-host.ts';
import { runCli } from './run-cli.ts';

const SUBCOMMANDS = ['run', 'status', 'backtest', 'serve', 'strategies'];
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('botdesk --help', () => {
  it('lists every sub-command and exits 0', async () => {
    const res = await runCli(['--help']);
    expect(res.code).toBe(0);
    for (const name of SUBCOMMANDS) expect(res.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(res.stdout).toContain('--data-dir DIR');
    expect(res.stdout).toContain('--json');
  });

  it('--version prints the package version', async () => {
    const res = await runCli(['--version']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
  });

  it.each(SUBCOMMANDS)('%s --help prints its usage and the global options', async (name) => {
    const res = await runCli([name, '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Usage: botdesk ${name}`);
    expect(res.stdout).toContain('--data-dir DIR');
    expect(res.stderr).toBe('');
  });
});

describe('botdesk usage errors exit 2', () => {
  it.each([
    [[], 'missing command'],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['status', '--bogus'], "Unknown option '--bogus'"],
    [['status', '--url'], "'--url"],
    [['status', 'extra-positional'], 'positional'],
    [['serve', '--port', 'eighty'], '--port must be an integer'],
    [['serve', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['serve', '--allow-origin', 'localhost'], '--allow-origin takes an origin'],
    [['serve', '--token', 'visible-in-ps-0123456789'], 'put it in a file and pass --token-file'],
    [['status', '--token', 'visible-in-ps-0123456789'], 'would show the token to every user'],
    [
      ['serve', '--token-file', '/nonexistent/botdesk-token'],
      'cannot read /nonexistent/botdesk-token',
    ],
    [['status', '--data-dir', ''], '--data-dir needs a folder'],
    [['run', '--data-dir', '', '--duration', '1s'], '--data-dir needs a folder'],
  ])('%j', async (args, message) => {
    // A HOME of its own: a command that wrongly falls back to ~/.botdesk stays in the sandbox.
    const res = await runCli(args as string[], { HOME: dataDir, BOTDESK_DATA_DIR: '' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('--help');
    expect(res.stdout).toBe('');
  });

  it('with --json still prints one JSON document describing the usage error', async () => {
    const res = await runCli(['status', '--json', '--bogus']);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: 'USAGE' } });
  });
});

describe('botdesk strategies', () => {
  it('--json prints the StrategyInfo array, built-ins first, with their parameter schemas', async () => {
    const res = await runCli(['strategies', '--json', '--data-dir', dataDir]);
    expect(res.code).toBe(0);
    const list = z.array(StrategyInfo).parse(JSON.parse(res.stdout));
    const sma = list.find((s) => s.id === 'sma-crossover');
    expect(sma?.origin).toBe('builtin');
    expect(sma?.paramsSchema).toHaveProperty('properties');
  });

  it('lists each strategy with its parameters for people', async () => {
    const res = await runCli(['strategies', '--data-dir', dataDir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^sma-crossover {2}.+\[builtin, warmup \d+ candles\]$/m);
    expect(res.stdout).toMatch(/fast\?: integer \(\d+\.\.\d+\) = \d+/);
  });
});

describe('botdesk status', () => {
  let server: WsServer;
  beforeAll(async () => {
    const host = createFakeHost();
    const { token } = loadOrCreateToken(dataDir);
    server = await startWsServer({ dispatch: host.dispatch, bus: host.bus, token });
  });
  afterAll(() => server.close());

  it('the generated token file is private (0600)', () => {
    expect(statSync(path.join(dataDir, 'server-token')).mode & 0o777).toBe(0o600);
  });

  it('--json prints the BotStatus document of the server, token from the data folder', async () => {
    const res = await runCli(['status', '--json', '--url', server.url, '--data-dir', dataDir]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const status = BotStatus.parse(JSON.parse(res.stdout));
    expect(status.state).toBe('idle');
  });

  it('prints a human summary without --json', async () => {
    const res = await runCli(['status', '--url', server.url], { BOTDESK_DATA_DIR: dataDir });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^state\s+idle/m);
  });

  it('reads the token from --token-file', async () => {
    const file = path.join(dataDir, 'copied-token');
    writeFileSync(file, readFileSync(path.join(dataDir, 'server-token')));
    const res = await runCli(['status', '--json', '--url', server.url, '--token-file', file]);
    expect(res.code, res.stderr).toBe(0);
    expect(BotStatus.parse(JSON.parse(res.stdout)).state).toBe('idle');
  });

  it('a malformed token file is a usage error that does not quote the file', async () => {
    const file = path.join(dataDir, 'not-a-token');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    const res = await runCli(['status', '--url', server.url, '--token-file', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('must be 16 to 256 characters');
    expect(res.stderr).not.toContain('root:x');
  });

  it('a wrong token is a runtime error (exit 1), not a crash', async () => {
    const file = path.join(dataDir, 'wrong-token');
    writeFileSync(file, 'wrong-token-0123456789\n');
    const res = await runCli(['status', '--json', '--url', server.url, '--token-file', file]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: 'TRANSPORT_ERROR' } });
    expect(res.stderr).toContain('cannot connect');
  });

  it('without any token says where to get one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'botdesk-cli-empty-'));
    writeFileSync(path.join(empty, 'placeholder'), '');
    const res = await runCli(['status', '--data-dir', empty, '--url', server.url]);
    rmSync(empty, { recursive: true, force: true });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no token');
  });
});
