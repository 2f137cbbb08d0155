/**
 * Quit while running, launch again: the core host resumes the paper bot by itself (after
 * reconciling orders), with the simulated market and real compute workers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotStatus } from '../../src/core/api/schemas.ts';
import { createCoreHost } from '../../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { childPids } from '../support/child-processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-resume-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function waitForState(get: () => BotStatus, state: BotStatus['state']): Promise<BotStatus> {
  const end = Date.now() + 30_000;
  while (get().state !== state) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${state}, at ${get().state}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return get();
}

describe('resume on launch', () => {
  it('a paper bot running at quit resumes on the next launch; a stopped one does not', async () => {
    const before = childPids();
    const first = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
    await first.handlers['bot:start']({
      config: {
        market: { source: 'sim', speed: 600, seed: 1 },
        symbols: ['BTC/USDT'],
        warmupCandles: 40,
      },
    });
    await first.close({ timeoutMs: 5000 });
    expect(first.manager.status().state).toBe('stopped');
    expect(childPids()).toEqual(before);

    const second = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
    const resumed = await waitForState(() => second.manager.status(), 'running');
    expect(resumed.config).toMatchObject({
      symbols: ['BTC/USDT'],
      market: { speed: 600, seed: 1 },
    });
    await second.handlers['bot:stop']({ reason: 'user', timeoutMs: 5000 });
    await second.close();

    const third = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
    await new Promise((r) => setTimeout(r, 200));
    expect(third.manager.status().state).toBe('idle');
    await third.close();
    expect(childPids()).toEqual(before);
  });

  it('with resume on launch off for paper, the bot waits for the user and says so', async () => {
    const settings = createConfSettingsStore(dataDir);
    settings.set({ resumeOnLaunch: { paper: false } });
    const first = await createCoreHost({ dataDir, settings });
    await first.handlers['bot:start']({
      config: { market: { source: 'sim', speed: 600, seed: 1 } },
    });
    await first.close();
    const second = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
    await new Promise((r) => setTimeout(r, 100));
    const s = second.manager.status();
    expect(s.state).toBe('idle');
    expect(s.warnings.join(' ')).toMatch(/waits for you to start it/);
    await second.close();
  });
});
