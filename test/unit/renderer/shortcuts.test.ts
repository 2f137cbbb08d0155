import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../src/renderer/src/routes.ts';
import {
  keyHint,
  SHORTCUTS,
  shortcutFor,
  type KeyPress,
} from '../../../src/renderer/src/shortcuts.ts';

const press = (p: Partial<KeyPress>): KeyPress => ({
  code: '',
  key: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  editable: false,
  ...p,
});

describe('keyboard shortcuts', () => {
  it('Alt+S, Alt+X and Alt+P start, stop and pause, matched by the physical key', () => {
    expect(shortcutFor(press({ code: 'KeyS', key: 's', altKey: true }))?.action).toEqual({
      kind: 'command',
      command: 'start',
    });
    // a Mac keyboard types ß for Alt+S
    expect(shortcutFor(press({ code: 'KeyS', key: 'ß', altKey: true }))?.id).toBe('start');
    expect(shortcutFor(press({ code: 'KeyX', altKey: true }))?.id).toBe('stop');
    expect(shortcutFor(press({ code: 'KeyP', altKey: true }))?.id).toBe('pause');
    expect(shortcutFor(press({ code: 'KeyS', key: 's' }))).toBeNull();
  });

  it('the digits 1 to 6 open the views in the order of the navigation', () => {
    ROUTES.forEach((route, i) => {
      expect(shortcutFor(press({ code: `Digit${i + 1}`, key: String(i + 1) }))?.action).toEqual({
        kind: 'view',
        route,
      });
    });
    expect(shortcutFor(press({ code: 'Digit7', key: '7' }))).toBeNull();
  });

  it('never fires while typing in a field, nor with Ctrl or Cmd held', () => {
    expect(shortcutFor(press({ code: 'Digit1', key: '1', editable: true }))).toBeNull();
    expect(shortcutFor(press({ code: 'KeyS', altKey: true, editable: true }))).toBeNull();
    expect(
      shortcutFor(press({ code: 'Slash', key: '?', shiftKey: true, editable: true })),
    ).toBeNull();
    expect(shortcutFor(press({ code: 'Digit1', key: '1', ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press({ code: 'KeyS', altKey: true, metaKey: true }))).toBeNull();
  });

  it('? shows the help wherever the layout puts it', () => {
    expect(shortcutFor(press({ code: 'Slash', key: '?', shiftKey: true }))?.id).toBe('help');
    // Swedish layout: ? is Shift+'+' (code Minus)
    expect(shortcutFor(press({ code: 'Minus', key: '?', shiftKey: true }))?.id).toBe('help');
    expect(shortcutFor(press({ code: 'Slash', key: '/' }))).toBeNull();
  });

  it('every shortcut has its own key, and a tooltip names it', () => {
    const keys = SHORTCUTS.map((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keyHint('Start the bot', 'start')).toBe('Start the bot (Alt+S)');
    expect(keyHint('Nothing', 'no-such')).toBe('Nothing');
  });
});
