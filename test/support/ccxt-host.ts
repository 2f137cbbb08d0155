/**
 * A core host (as the CLI and the app build it) whose ccxt market source talks to a loopback
 * Binance, in a fresh data directory; `close` ends the host and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import type { Clock } from '../../src/core/market/clock.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import type { FakeBinance } from '../fixtures/market/fake-binance.ts';

export interface CcxtHost {
  host: CoreHost;
  dataDir: string;
  close(): Promise<void>;
}

export async function startCcxtHost(
  clock: Clock,
  fake: FakeBinance,
  name: string,
): Promise<CcxtHost> {
  const dataDir = mkdtempSync(join(tmpdir(), `botdesk-${name}-`));
  const host = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
    marketOptions: {
      clock,
      ccxt: {
        configure: (exchange) => fake.configure(exchange as never),
        retry: { attempts: 5, baseMs: 10, maxMs: 80 },
        timeoutMs: 1500,
      },
    },
  });
  return {
    host,
    dataDir,
    async close() {
      await host.close({ timeoutMs: 5000 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
