import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, iconFiles, render, TRAY_STATES } from '../../../scripts/make-icons.ts';

/** Minimal PNG reader for the files our writer produces (8-bit RGBA, filter 0). */
function decode(png: Buffer): { size: number; pixel: (x: number, y: number) => number[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let size = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') size = data.readUInt32BE(0);
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return {
    size,
    pixel: (x, y) => [
      ...raw.subarray(y * (size * 4 + 1) + 1 + x * 4, y * (size * 4 + 1) + 1 + x * 4 + 4),
    ],
  };
}

describe('icon PNGs', () => {
  it('round-trips pixels through the PNG writer', () => {
    const px = render(8, [{ dist: (x) => x - 0.5, color: [255, 0, 0, 255] }]);
    const img = decode(encodePng(8, px));
    expect(img.size).toBe(8);
    expect(img.pixel(0, 0)).toEqual([255, 0, 0, 255]);
    expect(img.pixel(7, 7)[3]).toBe(0);
  });

  it('ships an app icon and every tray state at 16 and 32 px with @2x twins', () => {
    const names = iconFiles().map((f) => `${f.file}:${f.size}`);
    expect(names).toContain('icon.png:512');
    for (const state of TRAY_STATES) {
      expect(names).toEqual(
        expect.arrayContaining([
          `tray-${state}.png:16`,
          `tray-${state}@2x.png:32`,
          `tray-${state}-32.png:32`,
          `tray-${state}-32@2x.png:64`,
        ]),
      );
    }
  });

  it('has the committed resources up to date with the script', () => {
    for (const { file, size, shapes } of iconFiles().filter((f) => f.size <= 32)) {
      const committed = readFileSync(new URL(`../../../resources/${file}`, import.meta.url));
      expect(committed.equals(encodePng(size, render(size, shapes))), file).toBe(true);
    }
  });

  it('colours tray states differently (idle grey, running green, error red)', () => {
    const centreLeft = (state: string) => {
      const f = iconFiles().find((i) => i.file === `tray-${state}-32.png`)!;
      return decode(encodePng(32, render(32, f.shapes))).pixel(5, 16);
    };
    const [idle, running, error] = [centreLeft('idle'), centreLeft('running'), centreLeft('error')];
    expect(running[1]).toBeGreaterThan(running[0]!);
    expect(error[0]).toBeGreaterThan(error[1]!);
    expect(Math.abs(idle[0]! - idle[2]!)).toBeLessThan(40);
  });
});
