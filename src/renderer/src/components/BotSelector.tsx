/**
 * Which bot this window controls (desktop app only): this computer or a remote
 * `botdesk serve`, chosen from the list the main process keeps. The main process
 * holds the connections and tokens; a token typed here goes to it once, for
 * safekeeping, and never comes back. Selecting another bot makes main reload
 * this window against it. A ws:// address of another machine must be
 * acknowledged as insecure when it is added, and stays marked insecure. Absent in the browser UI (no `window.botdeskDesktop`).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BotTarget } from '../../../core/api/contract.ts';
import { desktopFromBridge, type DesktopApi } from '../../../core/api/desktop-client.ts';
import { isInsecureRemoteUrl } from '../../../core/api/loopback.ts';
import { describeError } from '../state/controller.ts';

declare global {
  interface Window {
    botdeskDesktop?: DesktopApi;
  }
}

const ADD = '__add__';

function AddForm({ api, onDone }: { api: DesktopApi; onDone: (error?: string) => void }) {
  const { t } = useTranslation();
  const [fields, setFields] = useState({ name: '', url: 'wss://', token: '', fingerprint: '' });
  const [acknowledged, setAcknowledged] = useState(false);
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields({ ...fields, [key]: e.target.value });
  const insecure = isInsecureRemoteUrl(fields.url);
  const submit = () => {
    const { fingerprint, ...rest } = fields;
    const input = fingerprint.trim() ? { ...rest, fingerprint } : rest;
    api.remote.add(insecure && acknowledged ? { ...input, insecure: true } : input).then(
      () => onDone(),
      (err: unknown) => onDone(describeError(err)),
    );
  };
  return (
    <form
      className="bot-add"
      data-testid="bot-add"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <input
        placeholder={t('bots.name')}
        aria-label={t('bots.name')}
        value={fields.name}
        onChange={set('name')}
        required
      />
      <input
        placeholder="wss://host:8745/ws"
        aria-label={t('bots.url')}
        value={fields.url}
        onChange={set('url')}
        required
      />
      <input
        type="password"
        placeholder={t('bots.token')}
        aria-label={t('bots.token')}
        value={fields.token}
        onChange={set('token')}
        required
      />
      <input
        placeholder={t('bots.fingerprint')}
        aria-label={t('bots.fingerprint')}
        value={fields.fingerprint}
        onChange={set('fingerprint')}
      />
      {insecure ? (
        <label className="bot-insecure-ack" data-testid="bot-insecure-ack">
          <input
            type="checkbox"
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.target.checked)}
            required
          />{' '}
          {t('remoteLink.acknowledge')}
        </label>
      ) : null}
      <button className="btn" type="submit">
        {t('bots.addButton')}
      </button>
      <button className="btn ghost" type="button" onClick={() => onDone()}>
        {t('bots.cancel')}
      </button>
    </form>
  );
}

export function BotSelector() {
  const { t } = useTranslation();
  const [api] = useState(() =>
    window.botdeskDesktop ? desktopFromBridge(window.botdeskDesktop) : null,
  );
  const [bots, setBots] = useState<BotTarget[]>([]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!api) return;
    const refresh = () =>
      void api.remote.list().then(setBots, (e: unknown) => setError(describeError(e)));
    refresh();
    return api.onRemoteState(refresh);
  }, [api]);

  if (!api) return null;
  const selected = bots.find((b) => b.selected);
  const remove = () =>
    selected && selected.kind === 'remote'
      ? api.remote
          .remove({ id: selected.id })
          .then(setBots, (e: unknown) => setError(describeError(e)))
      : undefined;

  return (
    <div className="bot-selector" data-testid="bot-selector">
      <label title={t('bots.controllingHint')}>
        {t('bots.controlling')}{' '}
        <select
          value={selected?.id ?? 'local'}
          data-testid="bot-select"
          onChange={(e) => {
            setError(null);
            if (e.target.value === ADD) return setAdding(true);
            // On success main reloads this window against the chosen bot.
            api.remote
              .select({ id: e.target.value })
              .catch((err: unknown) => setError(describeError(err)));
          }}
        >
          {bots.map((b) => (
            <option key={b.id} value={b.id}>
              {b.kind === 'local'
                ? b.name
                : `${b.name} — ${b.url ?? ''}${b.insecure ? ` (${t('remoteLink.insecure')})` : ''}`}
            </option>
          ))}
          <option value={ADD}>{t('bots.add')}</option>
        </select>
      </label>
      {selected && selected.kind === 'remote' ? (
        <>
          <span
            className={`conn ${selected.state === 'connected' ? 'connected' : 'disconnected'}`}
            data-testid="bot-target-state"
            title={[
              selected.message,
              selected.fingerprint && t('bots.certificate', { fingerprint: selected.fingerprint }),
            ]
              .filter(Boolean)
              .join('\n')}
          >
            {selected.state === 'error'
              ? t('remoteLink.stateError')
              : t(`bots.state.${selected.state}`)}
          </span>
          {selected.insecure ? (
            <span
              className="conn disconnected"
              data-testid="bot-insecure"
              title={t('remoteLink.insecureHint')}
            >
              {t('remoteLink.insecure')}
            </span>
          ) : null}
          <button className="btn ghost" onClick={() => void remove()} title={t('bots.removeHint')}>
            {t('bots.remove')}
          </button>
        </>
      ) : null}
      {adding ? (
        <AddForm
          api={api}
          onDone={(err) => {
            setAdding(false);
            if (err) setError(err);
            else void api.remote.list().then(setBots);
          }}
        />
      ) : null}
      {error ? (
        <span className="muted" role="alert" data-testid="bot-select-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
