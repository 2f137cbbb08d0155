/**
 * Desktop notifications: the core's fills, status and error events go through the pure
 * NotifyPolicy (switches, rate limits); what it returns is shown with Electron's
 * Notification. A click on one opens the window.
 */
import { Notification } from 'electron';
import type { NotificationSettings } from '../core/api/schemas.ts';
import type { EventBus } from '../core/bot/event-bus.ts';
import type { DesktopWords } from './desktop-words.ts';
import { NotifyPolicy, type DesktopNotice, type NotifyEvent } from './notify-policy.ts';

export interface NotificationsOptions {
  bus: EventBus;
  settings: () => NotificationSettings;
  words?: () => DesktopWords;
  onClick: () => void;
  now?: () => number;
}

/** Starts following the bus; returns the function that stops it. */
export function startNotifications(opts: NotificationsOptions): () => void {
  if (!Notification.isSupported()) return () => {};
  const now = opts.now ?? Date.now;
  const policy = new NotifyPolicy({
    settings: opts.settings,
    ...(opts.words ? { words: opts.words } : {}),
  });
  let timer: ReturnType<typeof setTimeout> | null = null;

  const show = (notices: DesktopNotice[]) => {
    for (const n of notices) {
      const note = new Notification({ title: n.title, body: n.body });
      note.on('click', opts.onClick);
      note.show();
    }
  };
  const schedule = () => {
    const at = policy.nextDueAt();
    if (at === null || timer !== null) return;
    timer = setTimeout(
      () => {
        timer = null;
        show(policy.due(now()));
        schedule();
      },
      Math.max(0, at - now()),
    );
  };
  const feed = (event: NotifyEvent) => {
    show(policy.observe(event, now()));
    schedule();
  };

  const off = [
    opts.bus.on('fill', (fill) => feed({ type: 'fill', fill })),
    opts.bus.on('bot:status', (status) => feed({ type: 'status', status })),
    opts.bus.on('error', (e) =>
      feed({ type: 'error', code: e.code, message: e.message, symbol: e.symbol }),
    ),
  ];
  return () => {
    for (const o of off) o();
    if (timer !== null) clearTimeout(timer);
  };
}
