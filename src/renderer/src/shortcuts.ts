/**
 * Keyboard shortcuts as data: which key does what, and the pure decision of which
 * shortcut (if any) a key press means. Keys are matched by `code` (the physical key),
 * because Alt+S types 'ß' on a Mac keyboard. The bot's commands take Alt (harder to hit by
 * accident), the views a digit. Nothing fires while the user types in a field, so
 * shortcuts never steal keys from inputs.
 */
import { ROUTES, type Route } from './routes.ts';

export type ShortcutAction =
  | { kind: 'command'; command: 'start' | 'stop' | 'pause' }
  | { kind: 'view'; route: Route }
  | { kind: 'help' };

export interface Shortcut {
  id: string;
  /** KeyboardEvent.code */
  code: string;
  alt: boolean;
  shift: boolean;
  /** As shown to the user and in aria-keyshortcuts ('Alt+S', 'Shift+?'). */
  keys: string;
  action: ShortcutAction;
}

const alt = (id: string, code: string, label: string, action: ShortcutAction): Shortcut => ({
  id,
  code,
  alt: true,
  shift: false,
  keys: `Alt+${label}`,
  action,
});

export const SHORTCUTS: readonly Shortcut[] = [
  alt('start', 'KeyS', 'S', { kind: 'command', command: 'start' }),
  alt('stop', 'KeyX', 'X', { kind: 'command', command: 'stop' }),
  alt('pause', 'KeyP', 'P', { kind: 'command', command: 'pause' }),
  // plain digits, as single-key app shortcuts go (never while typing); Alt+digit switches browser tabs
  ...ROUTES.map((route, i): Shortcut => ({
    id: `view-${route}`,
    code: `Digit${i + 1}`,
    alt: false,
    shift: false,
    keys: String(i + 1),
    action: { kind: 'view', route },
  })),
  { id: 'help', code: 'Slash', alt: false, shift: true, keys: '?', action: { kind: 'help' } },
];

export interface KeyPress {
  code: string;
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** The key went to a text field, a select, or something editable. */
  editable: boolean;
}

/** The shortcut a key press means, or null (typing in a field never triggers one). */
export function shortcutFor(press: KeyPress): Shortcut | null {
  if (press.editable || press.ctrlKey || press.metaKey) return null;
  // '?' sits on different physical keys across layouts: match the character for help
  if (press.key === '?' && !press.altKey) return SHORTCUTS.find((s) => s.id === 'help') ?? null;
  return (
    SHORTCUTS.find(
      (s) =>
        s.code === press.code && s.alt === press.altKey && (s.alt || s.shift === press.shiftKey),
    ) ?? null
  );
}

export function keysOf(id: string): string {
  return SHORTCUTS.find((s) => s.id === id)?.keys ?? '';
}

/** 'Start the bot (Alt+S)', for a control's tooltip. */
export function keyHint(label: string, id: string): string {
  const keys = keysOf(id);
  return keys ? `${label} (${keys})` : label;
}
