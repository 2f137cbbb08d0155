/**
 * Serves the built renderer (out/renderer) over HTTP next to the WebSocket
 * endpoint, for operators who open the UI in a browser. Only files under the root
 * are served (no traversal, symlinks included), with fixed content types and a
 * strict CSP; the page reads its token from the URL fragment, which the browser
 * never sends, and `no-referrer` keeps it out of other sites' logs.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BotDeskError } from '../api/errors.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The file a URL path names inside `root`, or null when it would leave the root. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const full = path.resolve(root, `.${relative}`);
  return full.startsWith(root + path.sep) ? full : null;
}

function isInside(root: string, file: string): boolean {
  return file.startsWith(root + path.sep);
}

/** A handler serving the files under `root`; fails when the root has no index.html. */
export async function createStaticHandler(rootDir: string): Promise<StaticHandler> {
  let root: string;
  try {
    root = await realpath(rootDir);
    await stat(path.join(root, 'index.html'));
  } catch {
    throw new BotDeskError(
      'NOT_FOUND',
      `no built UI at ${rootDir} (index.html missing): run \`npm run build\` first`,
    );
  }
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    const candidate = resolveInside(root, urlPath);
    let file: string | null = null;
    let size = 0;
    if (candidate !== null) {
      try {
        const real = await realpath(candidate);
        const info = await stat(real);
        if (isInside(root, real) && info.isFile()) {
          file = real;
          size = info.size;
        }
      } catch {
        file = null;
      }
    }
    if (file === null) {
      sendText(res, 404, 'not found\n');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res).catch(() => res.destroy());
  };
}
