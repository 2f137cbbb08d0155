/**
 * Draws BotDesk's icons (app icon, tray icons per bot state) and writes them as
 * PNG files into resources/. Dependency-free: shapes are signed-distance
 * functions, anti-aliased by 4×4 supersampling, encoded with node:zlib.
 *
 *   node scripts/make-icons.ts            # writes resources/*.png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** A shape in unit coordinates (0..1 across the icon); negative distance = inside. */
type Shape = { dist: (x: number, y: number) => number; color: Rgba };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (row-major, size×size×4) → PNG file bytes. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Paints shapes back to front with "over" compositing. */
export function render(size: number, shapes: readonly Shape[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let cr = 0,
            cg = 0,
            cb = 0,
            ca = 0;
          for (const s of shapes) {
            if (s.dist(x, y) > 0) continue;
            const sa = s.color[3] / 255;
            cr = s.color[0] * sa + cr * (1 - sa);
            cg = s.color[1] * sa + cg * (1 - sa);
            cb = s.color[2] * sa + cb * (1 - sa);
            ca = sa + ca * (1 - sa);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = ss * ss;
      const i = (py * size + px) * 4;
      // premultiplied sums → straight alpha
      out[i] = a > 0 ? Math.round(r / a) : 0;
      out[i + 1] = a > 0 ? Math.round(g / a) : 0;
      out[i + 2] = a > 0 ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

const circle = (cx: number, cy: number, rad: number) => (x: number, y: number) =>
  Math.hypot(x - cx, y - cy) - rad;
const roundRect =
  (x0: number, y0: number, x1: number, y1: number, rad: number) => (x: number, y: number) => {
    const qx = Math.abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - rad);
    const qy = Math.abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - rad);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - rad;
  };
const rect = (x0: number, y0: number, x1: number, y1: number) => roundRect(x0, y0, x1, y1, 0);

const WHITE: Rgba = [255, 255, 255, 255];
const UP: Rgba = [38, 166, 154, 255];
const DOWN: Rgba = [239, 83, 80, 255];

/** Three candles (down, up, up) — the app's mark. */
function candles(
  x0: number,
  y0: number,
  w: number,
  h: number,
  colors: [Rgba, Rgba, Rgba],
): Shape[] {
  const bars = [
    { cx: 0.2, wick: [0.1, 0.75], body: [0.25, 0.6] },
    { cx: 0.5, wick: [0.2, 0.9], body: [0.4, 0.8] },
    { cx: 0.8, wick: [0.0, 0.55], body: [0.08, 0.45] },
  ] as const;
  return bars.flatMap((bar, i) => {
    const cx = x0 + bar.cx * w;
    const color = colors[i]!;
    return [
      {
        dist: rect(cx - w * 0.025, y0 + bar.wick[0] * h, cx + w * 0.025, y0 + bar.wick[1] * h),
        color,
      },
      {
        dist: roundRect(
          cx - w * 0.1,
          y0 + bar.body[0] * h,
          cx + w * 0.1,
          y0 + bar.body[1] * h,
          w * 0.02,
        ),
        color,
      },
    ];
  });
}

function appIcon(): Shape[] {
  return [
    { dist: roundRect(0.04, 0.04, 0.96, 0.96, 0.2), color: [24, 30, 42, 255] },
    { dist: roundRect(0.07, 0.07, 0.93, 0.93, 0.17), color: [31, 40, 56, 255] },
    ...candles(0.2, 0.2, 0.6, 0.6, [DOWN, UP, UP]),
  ];
}

export const TRAY_STATES = ['idle', 'running', 'paused', 'error', 'blocked'] as const;
export type TrayIconState = (typeof TRAY_STATES)[number];

const STATE_COLOR: Record<TrayIconState, Rgba> = {
  idle: [140, 150, 165, 255],
  running: [46, 189, 133, 255],
  paused: [240, 185, 11, 255],
  error: [239, 83, 80, 255],
  // risk-blocked: running, but a risk rule refuses every entry (orange, between paused and error)
  blocked: [245, 124, 0, 255],
};

/** A state-coloured disc with a white glyph: ■ idle, ▶ running, ❚❚ paused, ! error, ━ blocked (no entry). */
function trayIcon(state: TrayIconState): Shape[] {
  const disc: Shape = { dist: circle(0.5, 0.5, 0.47), color: STATE_COLOR[state] };
  const glyph: Record<TrayIconState, Shape[]> = {
    idle: [{ dist: roundRect(0.33, 0.33, 0.67, 0.67, 0.04), color: WHITE }],
    running: [
      {
        // a right-pointing triangle as the intersection of three half-planes
        dist: (x, y) =>
          Math.max(
            0.36 - x,
            (y - 0.5) * 0.866 + (x - 0.36) * 0.5 - 0.15,
            -(y - 0.5) * 0.866 + (x - 0.36) * 0.5 - 0.15,
          ),
        color: WHITE,
      },
    ],
    paused: [
      { dist: roundRect(0.32, 0.3, 0.44, 0.7, 0.02), color: WHITE },
      { dist: roundRect(0.56, 0.3, 0.68, 0.7, 0.02), color: WHITE },
    ],
    error: [
      { dist: roundRect(0.44, 0.22, 0.56, 0.6, 0.04), color: WHITE },
      { dist: circle(0.5, 0.73, 0.065), color: WHITE },
    ],
    blocked: [{ dist: roundRect(0.24, 0.42, 0.76, 0.58, 0.03), color: WHITE }],
  };
  return [disc, ...glyph[state]];
}

/** Every icon file BotDesk ships, by file name (relative to resources/). */
export function iconFiles(): Array<{ file: string; size: number; shapes: Shape[] }> {
  const files = [{ file: 'icon.png', size: 512, shapes: appIcon() }];
  for (const state of TRAY_STATES) {
    // Electron picks @2x on HiDPI screens from the base name
    files.push({ file: `tray-${state}.png`, size: 16, shapes: trayIcon(state) });
    files.push({ file: `tray-${state}@2x.png`, size: 32, shapes: trayIcon(state) });
    files.push({ file: `tray-${state}-32.png`, size: 32, shapes: trayIcon(state) });
    files.push({ file: `tray-${state}-32@2x.png`, size: 64, shapes: trayIcon(state) });
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
  mkdirSync(outDir, { recursive: true });
  for (const { file, size, shapes } of iconFiles()) {
    writeFileSync(join(outDir, file), encodePng(size, render(size, shapes)));
    process.stderr.write(`wrote resources/${file} (${size}×${size})\n`);
  }
}
