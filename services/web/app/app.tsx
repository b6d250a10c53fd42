import { useEffect, useMemo, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './lib/api.js';
import { I18nContext, makeI18n, translator, type MessageKey } from './lib/i18n.js';
import { loadLabels, nameIndex, type PageLabels } from './lib/labels.js';
import { href, useRoute } from './lib/route.js';
import { getLang, getToken, saveLang, setToken, type Lang } from './lib/session.js';
import { Login } from './pages/login.js';
import { SignalsPage } from './pages/signals.js';
import { TrendsPage } from './pages/trends.js';
import { SubscriptionsPage } from './pages/subscriptions.js';
import { OperatorsPage } from './pages/operators.js';

const PAGES: { id: string; key: MessageKey }[] = [
  { id: 'signals', key: 'navSignals' },
  { id: 'trends', key: 'navTrends' },
  { id: 'subscriptions', key: 'navSubscriptions' },
  { id: 'operators', key: 'navOperators' },
];

export function App() {
  const [lang, setLang] = useState<Lang>(getLang);
  const [token, setTokenState] = useState<string | null>(getToken);
  const [labels, setLabels] = useState<PageLabels | null>(null);
  const [labelsError, setLabelsError] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    loadLabels().then(setLabels, (e: Error) => setLabelsError(e.message));
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setToken(null);
      setTokenState(null);
    });
  }, []);
  const i18n = useMemo(() => makeI18n(lang, labels ? nameIndex(labels) : new Map(), translator(lang)), [lang, labels]);
  const { t } = i18n;
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    const page = PAGES.find((p) => p.id === route.page);
    document.title = `${page ? t(page.key) : ''} · ${t('appName')}`;
  }, [lang, route.page, t]);

  const switchLang = () => {
    const next: Lang = lang === 'en' ? 'zh' : 'en';
    saveLang(next);
    setLang(next);
  };
  const logout = () => {
    setToken(null);
    setTokenState(null);
  };

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">◉</span>
          <span class="brand-name">{t('appName')}</span>
          <span class="tagline">{t('tagline')}</span>
        </div>
        {token && (
          <nav aria-label={t('appName')} class="tabs">
            {PAGES.map((p) => (
              <a key={p.id} href={href(p.id)} aria-current={route.page === p.id ? 'page' : undefined} data-nav={p.id}>
                {t(p.key)}
              </a>
            ))}
          </nav>
        )}
        <div class="top-actions">
          <button type="button" class="lang-switch" onClick={switchLang} aria-label={t('switchToLabel')} lang={lang === 'en' ? 'zh-CN' : 'en'} data-testid="lang-switch">
            {t('switchTo')}
          </button>
          {token && (
            <button type="button" class="link-button" onClick={logout}>
              {t('logout')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {labelsError && <p role="alert" class="error">{t('error', { message: labelsError })}</p>}
        {!token ? (
          <Login onLogin={(tk) => { setToken(tk); setTokenState(tk); }} />
        ) : !labels ? (
          <p class="muted">{t('loading')}</p>
        ) : route.page === 'trends' ? (
          <TrendsPage labels={labels} route={route} />
        ) : route.page === 'subscriptions' ? (
          <SubscriptionsPage labels={labels} />
        ) : route.page === 'operators' ? (
          <OperatorsPage />
        ) : (
          <SignalsPage labels={labels} route={route} />
        )}
      </main>
    </I18nContext.Provider>
  );
}
