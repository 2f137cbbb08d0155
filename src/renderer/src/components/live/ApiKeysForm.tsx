import { useState, type FormEvent } from 'react';
import { useApp, useLive } from '../../app-context.ts';
import { TextField } from '../settings/fields.tsx';

const SOURCE_WORDS = {
  safeStorage: 'stored encrypted by the operating system',
  env: 'read from the environment',
  file: 'read from the key file',
  none: 'none',
} as const;

/**
 * The exchange's keys: shown masked as main reports them; typed keys go to main once and
 * the fields are emptied right after (they are never read back nor kept in a store).
 */
export function ApiKeysForm({ exchange }: { exchange: string }) {
  const { commands } = useApp();
  const status = useLive((s) => (s.secrets?.exchange === exchange ? s.secrets : null));
  const check = useLive((s) => (s.check?.exchange === exchange ? s.check : null));
  const pending = useLive((s) => s.pending);
  const error = useLive((s) => s.error);
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [sandbox, setSandbox] = useState(true);
  const [missing, setMissing] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (apiKey.trim() === '' || secret.trim() === '') return setMissing(true);
    setMissing(false);
    const keys = { exchange, apiKey: apiKey.trim(), secret: secret.trim(), password };
    setApiKey('');
    setSecret('');
    setPassword('');
    await commands.saveKeys(keys);
  };
  const refusal = (action: string) =>
    error?.action === action ? (
      <div className="notice error" role="alert" data-testid={`keys-${action}-error`}>
        {error.message}
      </div>
    ) : null;

  return (
    <form className="section" onSubmit={(e) => void save(e)} noValidate aria-label="API keys">
      <fieldset className="section">
        <legend>API keys for {exchange}</legend>
        <dl className="key-status" data-testid="keys-status">
          <dt>Keys</dt>
          <dd>{status ? SOURCE_WORDS[status.source] : 'Loading…'}</dd>
          <dt>API key</dt>
          <dd data-testid="keys-masked">{status?.apiKey ?? 'not set'}</dd>
          <dt>Secret</dt>
          <dd>{status?.hasSecret ? 'set (hidden)' : 'not set'}</dd>
        </dl>
        {status && !status.writable ? (
          <div className="notice warn" data-testid="keys-readonly">
            Keys cannot be stored from this window
            {status.reason ? ` (${status.reason})` : ''}. A headless BotDesk reads them from its
            environment (BOTDESK_{exchange.toUpperCase()}_API_KEY, …_API_SECRET) or a key file.
          </div>
        ) : null}
        <div className="grid2">
          <TextField
            id="key-api"
            label="API key"
            type="password"
            value={apiKey}
            onChange={setApiKey}
            error={missing && apiKey.trim() === '' ? 'enter the API key' : undefined}
          />
          <TextField
            id="key-secret"
            label="API secret"
            type="password"
            value={secret}
            onChange={setSecret}
            error={missing && secret.trim() === '' ? 'enter the secret' : undefined}
          />
          <TextField
            id="key-password"
            label="Passphrase (if the exchange has one)"
            type="password"
            value={password}
            onChange={setPassword}
            error={undefined}
          />
        </div>
        {refusal('save')}
        {refusal('delete')}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={pending === 'save'}>
            {pending === 'save' ? 'Saving keys…' : 'Save keys'}
          </button>
          <button
            type="button"
            className="btn danger"
            disabled={!status?.apiKey || !status.writable || pending !== null}
            onClick={() => void commands.deleteKeys(exchange)}
          >
            Remove keys
          </button>
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>Check connection</legend>
        <label className="check">
          <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
          On the exchange's testnet (sandbox)
        </label>
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            disabled={pending !== null}
            onClick={() => void commands.testConnection(exchange, sandbox)}
          >
            {pending === 'test' ? 'Checking…' : 'Check connection'}
          </button>
        </div>
        {refusal('test')}
        {check ? (
          <div
            className={`notice ${check.ok ? 'info' : 'error'}`}
            role="status"
            data-testid="keys-check"
          >
            {check.ok
              ? `Connected to ${check.exchange}${check.sandbox ? ' (testnet)' : ''}: balance read, ${check.assets} asset(s).`
              : `The connection check failed on ${check.exchange}.`}
            {check.canWithdraw ? (
              <strong className="withdraw-warning">
                {' '}
                Warning: this key can withdraw funds. A trading bot never needs that: remove the
                withdrawal permission on the exchange.
              </strong>
            ) : null}
            {check.warnings.map((w) => (
              <div key={w}>{w}</div>
            ))}
          </div>
        ) : null}
      </fieldset>
    </form>
  );
}
