import { useState } from 'preact/hooks';
import { ApiError, request } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';

/** Asks for an API token and checks it once before keeping it (for this tab only). */
export function Login({ onLogin }: { onLogin(token: string): void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await request('GET', '/v1/signals?limit=1', undefined, token);
      onLogin(token);
    } catch (err) {
      // 403: a valid token without signals:read (an admin-only or subscriptions-only one) may still log in.
      if (err instanceof ApiError && err.status === 403) onLogin(token);
      else setError(err instanceof ApiError && err.status === 401 ? t('loginBad') : t('loginNetwork'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title">{t('loginTitle')}</h1>
      <p class="muted">{t('loginHelp')}</p>
      <form onSubmit={submit}>
        <label for="token">{t('token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          aria-describedby={error ? 'login-error' : undefined}
          aria-invalid={error ? true : undefined}
          required
        />
        {error && (
          <p id="login-error" role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('loginChecking') : t('login')}
        </button>
      </form>
    </section>
  );
}
