/**
 * Remote load (JSON on stdout, progress on stderr): 20 clients subscribed to every
 * event of a real `botdesk serve` over TLS (self-signed certificate, pinned) while
 * its bot trades on a fast simulated market for 60 s. Reports what was delivered,
 * any lost / duplicated / reordered event per client (expected: none), and the
 * server's resident memory over the run (first, a quarter in, last, max, and the
 * slope over the second half). BOTDESK_LOAD_MS shortens the run for a quick look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe } from '../test/integration/ws-serve-process.ts';
import { LOAD_SIM } from '../test/support/fast-sim.ts';
import { makeSelfSignedCert } from '../test/support/tls-cert.ts';
import { heapProbe, runLoad } from '../test/support/ws-load.ts';

const TOKEN = 'bench-load-token-0123456789abcdef';
const durationMs = Number(process.env.BOTDESK_LOAD_MS ?? 60_000);

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-bench-load-'));
  const cert = makeSelfSignedCert('botdesk-bench');
  const probe = heapProbe();
  const serve = await startServe(
    ['--data-dir', dataDir, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
    { BOTDESK_TOKEN: TOKEN, ...probe.env },
  );
  try {
    process.stderr.write(`remote-load: 20 clients over TLS for ${durationMs / 1000} s…\n`);
    const t0 = performance.now();
    const result = await runLoad({
      url: serve.ready.url,
      token: TOKEN,
      serverPid: serve.ready.pid,
      heapFile: probe.file,
      clients: Number(process.env.BOTDESK_LOAD_CLIENTS ?? 20),
      durationMs,
      config: LOAD_SIM,
    });
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      `${JSON.stringify(
        {
          transport: 'wss (TLS, pinned self-signed certificate)',
          ...result,
          problems: result.problems.slice(0, 20),
          problemCount: result.problems.length,
          eventsPerSecToAllClients: Math.round(result.eventsDelivered / seconds),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(cert.dir, { recursive: true, force: true });
    rmSync(probe.file, { force: true });
  }
}

await main();
