import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app-context.ts';
import { navigate } from '../router.ts';
import { availableCommands } from '../state/bot-store.ts';
import { SHORTCUTS, shortcutFor, type Shortcut } from '../shortcuts.ts';

/** Whether a key event's target is a place where keys are typed. */
function isEditable(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
    type,
  );
}

/** Listens for the shortcuts on the whole page; returns whether the help is open and its toggle. */
function useShortcuts(): [boolean, (open: boolean) => void] {
  const { commands, stores } = useApp();
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const shortcut = shortcutFor({
        code: e.code,
        key: e.key,
        altKey: e.altKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        editable: isEditable(e.target),
      });
      if (!shortcut || e.defaultPrevented || e.repeat) return;
      e.preventDefault();
      const action = shortcut.action;
      if (action.kind === 'help') return setHelp((open) => !open);
      if (action.kind === 'view') {
        setHelp(false);
        return navigate(action.route);
      }
      // the same rules as the buttons: a command that is not available does nothing
      const can = availableCommands(stores.bot.getState());
      const paused = stores.bot.getState().status?.entriesPaused ?? false;
      if (action.command === 'start' && can.start) void commands.start();
      if (action.command === 'stop' && can.stop) void commands.stop();
      if (action.command === 'pause') {
        if (paused && can.resume) void commands.resume();
        else if (!paused && can.pause) void commands.pause();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands, stores]);
  return [help, setHelp];
}

function Label({ shortcut }: { shortcut: Shortcut }) {
  const { t } = useTranslation();
  const a = shortcut.action;
  if (a.kind === 'help') return <>{t('shortcuts.help')}</>;
  if (a.kind === 'view') return <>{t('shortcuts.view', { view: t(`routes.${a.route}`) })}</>;
  return <>{t(`shortcuts.${a.command}`)}</>;
}

/** The "?" button in the header, the page's shortcuts, and the list of them (Esc closes it). */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useShortcuts();
  const close = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        opener.current?.focus();
      }
      // a modal dialog keeps the focus: its one control is the Close button
      if (e.key === 'Tab') {
        e.preventDefault();
        close.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);

  return (
    <>
      <button
        ref={opener}
        className="btn ghost help-button"
        aria-label={t('header.shortcutsButton')}
        title={`${t('header.shortcutsButton')} (?)`}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-keyshortcuts="?"
        onClick={() => setOpen(!open)}
      >
        ?
      </button>
      {open ? (
        <div className="overlay" onClick={() => setOpen(false)}>
          <div
            className="card shortcut-help"
            role="dialog"
            aria-modal="true"
            aria-labelledby="shortcut-help-title"
            data-testid="shortcut-help"
            onClick={(e) => e.stopPropagation()}
          >
            <header className="card-head">
              <h2 id="shortcut-help-title">{t('shortcuts.title')}</h2>
              <button
                ref={close}
                className="btn small"
                onClick={() => {
                  setOpen(false);
                  opener.current?.focus();
                }}
              >
                {t('shortcuts.close')}
              </button>
            </header>
            <p className="muted">{t('shortcuts.intro')}</p>
            <table className="shortcut-list">
              <tbody>
                {SHORTCUTS.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <kbd>{s.keys}</kbd>
                    </td>
                    <td>
                      <Label shortcut={s} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </>
  );
}
