/**
 * Where the browser UI connects and with which token: taken from the address once
 * (`#token=…&ws=…` as `botdesk serve --ui` prints it), kept for the tab's session,
 * and removed from the address bar so it does not linger in history or screenshots.
 */
import { wsTargetFromLocation } from '../../core/api/ws-client.ts';

export interface WsTarget {
  url: string;
  token: string;
}

export const TARGET_KEY = 'botdesk.target';

/** The target in `href`, if any, and `href` without it (the view route kept). */
export function takeTarget(href: string): { target: WsTarget | null; clean: string } {
  const target = wsTargetFromLocation(href);
  const page = new URL(href);
  const hash = new URLSearchParams(page.hash.replace(/^#/, ''));
  const hasHashTarget = hash.has('token') || hash.has('ws');
  page.searchParams.delete('token');
  page.searchParams.delete('ws');
  if (hasHashTarget) page.hash = '#/dashboard';
  return { target, clean: page.toString() };
}

export function parseStored(text: string | null): WsTarget | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<WsTarget>;
    return typeof v.url === 'string' && typeof v.token === 'string'
      ? { url: v.url, token: v.token }
      : null;
  } catch {
    return null;
  }
}

/** A token typed by the user, for the server that served this page. */
export function targetForToken(href: string, token: string): WsTarget | null {
  const t = token.trim().replace(/^#?token=/, '');
  if (!t) return null;
  const page = new URL(href);
  page.hash = `token=${encodeURIComponent(t)}`;
  return wsTargetFromLocation(page.toString());
}
