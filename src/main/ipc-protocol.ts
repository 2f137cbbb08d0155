/**
 * How events travel over Electron IPC: each contract event on its own channel,
 * prefixed so it can never be mistaken for a request channel of the same name
 * ('bot:status' is both). Dependency-free: the sandboxed preload bundles it.
 */
import type { DesktopEventName, EventName } from '../core/api/channels.ts';

export function ipcEventChannel(event: EventName): string {
  return `botdesk:event:${event}`;
}

/** Desktop-only events (remote:state) have their own prefix too. */
export function ipcDesktopEventChannel(event: DesktopEventName): string {
  return `botdesk:desktop-event:${event}`;
}
