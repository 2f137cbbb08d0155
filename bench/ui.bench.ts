/**
 * UI figures in Chromium (JSON on stdout, progress on stderr):
 * - chart: time from handing 100,000 candles to the dashboard's chart drawing to its
 *   first painted frame (median of 3);
 * - stream: frame intervals of the dashboard while a real headless core streams 20 pairs
 *   of the simulated market at 6000× (p50/p95/max, frames over 16.7 ms and 50 ms);
 * - heap: the page's JS heap (after a forced GC) sampled while it streams, and its trend
 *   (least-squares slope over the second half, once the buffers are full).
 * Frame times depend on the machine's load (reported as loadAverage); mainThread gives the
 * page's own main-thread milliseconds per second (task, script, layout, style).
 * Needs `npm run build` (the served UI) like the UI tests. Durations: BOTDESK_BENCH_STREAM_S
 * (default 10) and BOTDESK_BENCH_HEAP_S (default 60; the 10 minutes is 600).
 * Side by side: BOTDESK_BENCH_BASE_UI=<another build's out/renderer> also measures that UI
 * against the same stream, alternating with this one for BOTDESK_BENCH_ROUNDS rounds
 * (default 3), and reports both and their ratio (`compare`); its pages are served from
 * that folder by request interception, which Chromium's local-network check would block,
 * so that mode (only) turns the check off for both.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { ROOT, startHeadlessServer, TOKEN } from '../test/e2e/headless-server.ts';
import { openDashboard, PAIRS, SPEED, startStream } from './ui/stream.ts';

const STREAM_S = Number(process.env.BOTDESK_BENCH_STREAM_S ?? 10);
const HEAP_S = Number(process.env.BOTDESK_BENCH_HEAP_S ?? 60);
const BASE_UI = process.env.BOTDESK_BENCH_BASE_UI;
const ROUNDS = Number(process.env.BOTDESK_BENCH_ROUNDS ?? 3);
const log = (m: string) => process.stderr.write(`ui bench: ${m}\n`);
const round = (x: number, d = 2) => Number(x.toFixed(d));
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function bundleChart(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'botdesk-bench-ui-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: true,
      lib: {
        entry: join(ROOT, 'bench/ui/chart-entry.ts'),
        formats: ['iife'],
        name: 'benchChartBundle',
        fileName: () => 'chart.js',
      },
    },
  });
  const code = readFileSync(join(out, 'chart.js'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return code;
}

async function chartPaint(page: Page, n: number) {
  const code = await bundleChart();
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: code });
  const runs: Array<{ ms: number; drawMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    runs.push((await page.evaluate(`benchChart(${n})`)) as { ms: number; drawMs: number });
  }
  runs.sort((a, b) => a.ms - b.ms);
  const mid = runs[1]!;
  return {
    candles: n,
    firstPaintMs: round(mid.ms),
    setDataMs: round(mid.drawMs),
    runs: runs.length,
  };
}

/** Frame intervals measured inside the page for `seconds`. */
async function frameTimes(page: Page, seconds: number) {
  const deltas = (await page.evaluate(`new Promise((resolve) => {
    const out = []; let last = performance.now(); const end = last + ${seconds * 1000};
    const tick = (t) => { out.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else resolve(out); };
    requestAnimationFrame(tick);
  })`)) as number[];
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    seconds,
    frames: deltas.length,
    fps: round(deltas.length / seconds, 1),
    p50Ms: round(pct(sorted, 0.5)),
    p95Ms: round(pct(sorted, 0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
    over16_7ms: deltas.filter((d) => d > 16.7 * 1.5).length,
    over50ms: deltas.filter((d) => d > 50).length,
  };
}

type Metrics = Record<string, number>;

/** Frame times and main-thread time of a dashboard page while the stream runs. */
async function streamFigures(page: Page) {
  // CPU time the page's main thread spent (less sensitive than frame times to a loaded machine)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async (): Promise<Metrics> =>
    Object.fromEntries(
      (
        (await cdp.send('Performance.getMetrics')) as {
          metrics: Array<{ name: string; value: number }>;
        }
      ).metrics.map((m) => [m.name, m.value]),
    );
  const before = await busy();
  const stream = await frameTimes(page, STREAM_S);
  const after = await busy();
  await cdp.detach();
  const perSecond = (name: string) =>
    round((((after[name] ?? 0) - (before[name] ?? 0)) / STREAM_S) * 1000, 1);
  return {
    ...stream,
    mainThread: {
      taskMsPerS: perSecond('TaskDuration'),
      scriptMsPerS: perSecond('ScriptDuration'),
      layoutMsPerS: perSecond('LayoutDuration'),
      styleMsPerS: perSecond('RecalcStyleDuration'),
      // CPU time, not wall time: what the page itself costs, whatever else the machine runs
      cpuMsPerS: perSecond('ThreadTime'),
    },
  };
}

/** Serve the page's HTML, scripts and styles from another build's out/renderer folder. */
async function serveUiFrom(page: Page, dir: string): Promise<void> {
  const types: Record<string, string> = {
    js: 'text/javascript',
    css: 'text/css',
    html: 'text/html',
  };
  await page.route(/\/(index\.html|assets\/[^?#]*)?(\?.*)?$/, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!existsSync(file)) return route.continue();
    const ext = file.split('.').pop() ?? '';
    await route.fulfill({
      status: 200,
      contentType: types[ext] ?? 'application/octet-stream',
      body: readFileSync(file),
    });
  });
}

async function heapTrend(page: Page, seconds: number) {
  const cdp = await page.context().newCDPSession(page);
  const samples: Array<{ t: number; mb: number }> = [];
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    samples.push({ t: (Date.now() - t0) / 1000, mb: usedSize / 1e6 });
    await new Promise((r) => setTimeout(r, Math.max(1000, (seconds * 1000) / 60)));
  }
  const half = samples.slice(Math.floor(samples.length / 2));
  const mt = half.reduce((s, p) => s + p.t, 0) / half.length;
  const mm = half.reduce((s, p) => s + p.mb, 0) / half.length;
  const slope =
    half.reduce((s, p) => s + (p.t - mt) * (p.mb - mm), 0) /
    Math.max(
      1e-9,
      half.reduce((s, p) => s + (p.t - mt) ** 2, 0),
    );
  return {
    seconds,
    samples: samples.length,
    startMb: round(samples[0]?.mb ?? 0),
    endMb: round(samples.at(-1)?.mb ?? 0),
    maxMb: round(Math.max(...samples.map((s) => s.mb))),
    secondHalfSlopeMbPerMin: round(slope * 60, 3),
  };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      ...(BASE_UI ? ['--disable-features=LocalNetworkAccessChecks'] : []),
    ],
  });
  const server = await startHeadlessServer();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    log('chart first paint with 100,000 candles');
    const chart = await chartPaint(page, 100_000);

    const conn = await startStream(server, page);
    log(`frame times while 20 pairs stream at 6000× (${STREAM_S} s)`);
    const { mainThread, ...stream } = await streamFigures(page);

    const status = await conn.api.bot.status();
    log(`JS heap while streaming (${HEAP_S} s)`);
    const heap = await heapTrend(page, HEAP_S);
    const done = await conn.api.bot.status();
    let compare: unknown;
    if (BASE_UI) {
      // the same stream, this build and the other one in turns (one page open at a time)
      await page.close();
      const url = `${server.httpUrl}#token=${TOKEN}`;
      const rounds: Array<{
        ui: 'current' | 'base';
        p95Ms: number;
        fps: number;
        cpuMsPerS: number;
      }> = [];
      for (let i = 0; i < ROUNDS; i++) {
        for (const ui of ['base', 'current'] as const) {
          log(`side by side, round ${i + 1}/${ROUNDS}: ${ui}`);
          const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          if (ui === 'base') await serveUiFrom(other, BASE_UI);
          await openDashboard(other, url);
          const f = await streamFigures(other);
          rounds.push({ ui, p95Ms: f.p95Ms, fps: f.fps, cpuMsPerS: f.mainThread.cpuMsPerS });
          await other.close();
        }
      }
      const median = (ui: 'current' | 'base', key: 'p95Ms' | 'fps' | 'cpuMsPerS') => {
        const v = rounds
          .filter((r) => r.ui === ui)
          .map((r) => r[key])
          .sort((a, b) => a - b);
        return v[Math.floor(v.length / 2)] ?? 0;
      };
      compare = {
        baseUi: BASE_UI,
        rounds,
        median: {
          current: {
            p95Ms: median('current', 'p95Ms'),
            fps: median('current', 'fps'),
            cpuMsPerS: median('current', 'cpuMsPerS'),
          },
          base: {
            p95Ms: median('base', 'p95Ms'),
            fps: median('base', 'fps'),
            cpuMsPerS: median('base', 'cpuMsPerS'),
          },
        },
        cpuRatioCurrentToBase: round(
          median('current', 'cpuMsPerS') / Math.max(1e-9, median('base', 'cpuMsPerS')),
          2,
        ),
      };
    }
    await conn.api.bot.stop({});
    await conn.close();
    process.stdout.write(
      `${JSON.stringify(
        {
          chart,
          stream: {
            pairs: PAIRS,
            speed: SPEED,
            ticksDuring: done.ticks - status.ticks,
            ...stream,
            mainThread,
            loadAverage: loadavg().map((l) => round(l, 1)),
          },
          heap,
          ...(compare ? { compare } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await server.stop();
    await browser.close();
  }
}

await main();
