/**
 * Where the dashboard's main thread goes while 20 pairs stream at 6000× (not part of
 * `npm run bench`): a CDP CPU profile (self time by function) and a trace's top-level
 * event totals (paint, layout, script...). `node bench/ui/profile.ts [seconds]`.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startHeadlessServer } from '../../test/e2e/headless-server.ts';
import { startStream } from './stream.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const seconds = Number(process.argv[2] ?? 5);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const server = await startHeadlessServer();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const conn = await startStream(server, page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  // inclusive: each sample counted once per function on its stack
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  console.log(`CPU profile, inclusive ms per second:`);
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 400))
    console.log(`${(us / 1000 / seconds).toFixed(1).padStart(7)}  ${k}`);
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40);
  console.log(`CPU profile, self ms per second over ${seconds} s:`);
  for (const [k, us] of top) console.log(`${(us / 1000 / seconds).toFixed(1).padStart(7)}  ${k}`);
  writeFileSync('/tmp/uiprof/profile.cpuprofile', JSON.stringify(profile));

  // trace: top-level event totals on the renderer main thread
  const events: Array<{
    name: string;
    ph: string;
    dur?: number;
    tid: number;
    pid: number;
    args?: unknown;
  }> = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,gpu,toplevel',
    transferMode: 'ReportEvents',
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await cdp.send('Tracing.end');
  await done;
  writeFileSync('/tmp/uiprof/trace.json', JSON.stringify(events));
  const main = events.find(
    (e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain',
  );
  const totals = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const where = main && e.tid === main.tid && e.pid === main.pid ? 'main' : `tid${e.tid}`;
    const k = `${where} ${e.name}`;
    totals.set(k, (totals.get(k) ?? 0) + e.dur);
  }
  console.log(`trace, ms per second (inclusive) over ${seconds} s:`);
  for (const [k, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${(us / 1000 / seconds).toFixed(1).padStart(7)}  ${k}`);
  await conn.api.bot.stop({});
  await conn.close();
} finally {
  await server.stop();
  await browser.close();
}
