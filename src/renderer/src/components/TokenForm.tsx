import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import { useApp, useBot } from '../app-context.ts';

/** The browser UI without a token: a field to enter the one `botdesk serve` printed. */
export function TokenForm() {
  const { enterToken } = useApp();
  const { t } = useTranslation();
  const needed = useBot((s) => s.connection === 'disconnected' && s.status === null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!enterToken || !needed) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(enterToken(token) ? null : t('token.needed'));
  };
  return (
    <form className="token-form card" onSubmit={submit}>
      <label htmlFor="access-token">{t('token.label')}</label>
      <input
        id="access-token"
        type="password"
        autoComplete="off"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'access-token-error' : undefined}
      />
      <button type="submit" className="btn primary">
        {t('token.submit')}
      </button>
      {error ? (
        <div className="field-error" id="access-token-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}
