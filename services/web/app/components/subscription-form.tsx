import { useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.js';
import { useI18n, type MessageKey } from '../lib/i18n.js';
import { allDistricts, type PageLabels } from '../lib/labels.js';
import type { ChannelInput, ChannelKind, Mode, Subscription, SubscriptionInput } from '../lib/types.js';

interface Props {
  labels: PageLabels;
  /** The subscription to edit; a new one when absent. */
  initial?: Subscription;
  onSave(input: SubscriptionInput): Promise<void>;
  onCancel(): void;
}

interface ChannelDraft {
  kind: ChannelKind;
  url: string;
  secret: string;
  to: string;
  token?: string;
}

const KINDS: [ChannelKind, MessageKey][] = [
  ['webhook', 'webhook'],
  ['slack', 'slack'],
  ['email', 'email'],
  ['atom', 'atom'],
];

function draftOf(s: Subscription | undefined): ChannelDraft[] {
  if (!s) return [{ kind: 'webhook', url: '', secret: '', to: '' }];
  return s.channels.map((c) => ({
    kind: c.kind,
    url: c.config.url ?? '',
    // The API never shows a webhook's secret again: left empty, it is kept as it is.
    secret: '',
    to: c.config.to ?? '',
    token: c.config.token,
  }));
}

function toInput(c: ChannelDraft): ChannelInput {
  switch (c.kind) {
    case 'webhook':
      return { kind: 'webhook', url: c.url.trim(), ...(c.secret ? { secret: c.secret } : {}) };
    case 'slack':
      return { kind: 'slack', url: c.url.trim() };
    case 'email':
      return { kind: 'email', to: c.to.trim() };
    case 'atom':
      return c.token ? { kind: 'atom', token: c.token } : { kind: 'atom' };
  }
}

/** Creates or edits a subscription: what to match, how often to tell, and where. */
export function SubscriptionForm({ labels, initial, onSave, onCancel }: Props) {
  const { t, label } = useI18n();
  const f = initial?.filters ?? {};
  const [name, setName] = useState(initial?.name ?? '');
  const [areas, setAreas] = useState<string[]>(f.areas ?? []);
  const [areasMatch, setAreasMatch] = useState<'any' | 'all'>(f.areasMatch ?? 'any');
  const [districts, setDistricts] = useState<string[]>(f.districts ?? []);
  const [clusters, setClusters] = useState<string[]>(f.clusters ?? []);
  const [beijing, setBeijing] = useState(f.beijing === true);
  const [keywords, setKeywords] = useState(f.keywords ?? '');
  const [sources, setSources] = useState((f.sources ?? []).join(', '));
  const [langs, setLangs] = useState<string[]>(f.lang ?? []);
  const [minScore, setMinScore] = useState(String(f.minScore ?? 0));
  const [mode, setMode] = useState<Mode>(initial?.mode ?? 'immediate');
  const [digestEvery, setDigestEvery] = useState<'hour' | 'day'>(initial?.digest_every ?? 'day');
  const [digestAt, setDigestAt] = useState(initial?.digest_at ?? '08:00');
  const [timezone, setTimezone] = useState(initial?.timezone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai'));
  const [maxPerHour, setMaxPerHour] = useState(String(initial?.throttle_per_hour ?? 10));
  const [channels, setChannels] = useState<ChannelDraft[]>(() => draftOf(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  const toggle = (list: string[], set: (v: string[]) => void, id: string) => set(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const checks = (legend: string, name: string, items: { id: string; text: string }[], list: string[], set: (v: string[]) => void) => (
    <div class="wide">
      <span class="label" id={`${name}-legend`}>
        {legend}
      </span>
      <div class="checks" role="group" aria-labelledby={`${name}-legend`}>
        {items.map((i) => (
          <label key={i.id}>
            <input type="checkbox" name={name} value={i.id} checked={list.includes(i.id)} onChange={() => toggle(list, set, i.id)} />
            {i.text}
          </label>
        ))}
      </div>
    </div>
  );
  const setChannel = (i: number, patch: Partial<ChannelDraft>) => setChannels((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const score = Number(minScore);
    const input: SubscriptionInput = {
      name: name.trim(),
      filters: {
        areas,
        areasMatch,
        districts,
        clusters,
        ...(beijing ? { beijing: true } : {}),
        ...(keywords.trim() ? { keywords: keywords.trim() } : {}),
        sources: sources.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean),
        lang: langs,
        minScore: Number.isFinite(score) ? score : 0,
      },
      mode,
      ...(mode !== 'immediate' ? { digestEvery, digestAt, timezone } : {}),
      ...(mode === 'throttle' ? { maxPerHour: Number(maxPerHour) } : {}),
      channels: channels.map(toInput),
    };
    try {
      await onSave(input);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const title = initial ? t('editSub') : t('newSub');
  return (
    <section class="card" aria-labelledby="sub-form-title">
      <h2 id="sub-form-title">{title}</h2>
      <form class="sub-form" onSubmit={submit} data-testid="subscription-form">
        <div>
          <label for="s-name">{t('name')}</label>
          <input id="s-name" name="name" type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <fieldset>
          <legend>{t('filters')}</legend>
          {checks(t('areas'), 'areas', labels.areas.map((a) => ({ id: a.id, text: label(a.id) })), areas, setAreas)}
          <div>
            <label for="s-areas-match">{t('areasMode')}</label>
            <select id="s-areas-match" value={areasMatch} onChange={(e) => setAreasMatch(e.currentTarget.value as 'any' | 'all')}>
              <option value="any">{t('anyOf')}</option>
              <option value="all">{t('allOf')}</option>
            </select>
          </div>
          {checks(t('districts'), 'districts', allDistricts(labels).map((d) => ({ id: d.id, text: label(d.id) })), districts, setDistricts)}
          {checks(t('clusters'), 'clusters', labels.clusters.map((c) => ({ id: c.id, text: label(c.id) })), clusters, setClusters)}
          <div class="wide checks">
            <label>
              <input type="checkbox" name="beijing" checked={beijing} onChange={(e) => setBeijing(e.currentTarget.checked)} />
              {t('onlyBeijing')}
            </label>
          </div>
          <div class="wide checks" role="group" aria-label={t('lang')}>
            <span class="label">{t('lang')}:</span>
            {(['en', 'zh'] as const).map((l) => (
              <label key={l}>
                <input type="checkbox" name="lang" value={l} checked={langs.includes(l)} onChange={() => toggle(langs, setLangs, l)} />
                {l === 'en' ? t('langEn') : t('langZh')}
              </label>
            ))}
          </div>
          <div class="wide">
            <label for="s-keywords">{t('keywords')}</label>
            <input id="s-keywords" name="keywords" type="text" value={keywords} onInput={(e) => setKeywords(e.currentTarget.value)} aria-describedby="s-keywords-help" />
            <span id="s-keywords-help" class="muted small">
              {t('keywordsHelp')}
            </span>
          </div>
          <div>
            <label for="s-sources">{t('source')}</label>
            <input id="s-sources" name="sources" type="text" placeholder={t('sourcePlaceholder')} value={sources} onInput={(e) => setSources(e.currentTarget.value)} />
          </div>
          <div>
            <label for="s-min">{t('minScore')}</label>
            <input id="s-min" name="minScore" type="number" min="0" max="1" step="0.05" value={minScore} onInput={(e) => setMinScore(e.currentTarget.value)} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('mode')}</legend>
          <div>
            <label for="s-mode">{t('mode')}</label>
            <select id="s-mode" name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
              <option value="immediate">{t('modeImmediate')}</option>
              <option value="digest">{t('modeDigest')}</option>
              <option value="throttle">{t('modeThrottle')}</option>
            </select>
          </div>
          {mode === 'throttle' && (
            <div>
              <label for="s-max">{t('throttle')}</label>
              <input id="s-max" type="number" min="1" max="100000" value={maxPerHour} onInput={(e) => setMaxPerHour(e.currentTarget.value)} />
            </div>
          )}
          {mode !== 'immediate' && (
            <>
              <div>
                <label for="s-every">{t('digestEvery')}</label>
                <select id="s-every" value={digestEvery} onChange={(e) => setDigestEvery(e.currentTarget.value as 'hour' | 'day')}>
                  <option value="hour">{t('hour')}</option>
                  <option value="day">{t('day')}</option>
                </select>
              </div>
              <div>
                <label for="s-at">{t('digestAt')}</label>
                <input id="s-at" type="time" value={digestAt} onInput={(e) => setDigestAt(e.currentTarget.value)} />
              </div>
              <div>
                <label for="s-tz">{t('timezone')}</label>
                <input id="s-tz" type="text" value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} />
              </div>
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('channels')}</legend>
          {channels.map((c, i) => (
            <div class="channel-row" key={i} data-channel-row={i}>
              <div>
                <label for={`c-kind-${i}`}>{t('channel')}</label>
                <select id={`c-kind-${i}`} value={c.kind} onChange={(e) => setChannel(i, { kind: e.currentTarget.value as ChannelKind })}>
                  {KINDS.map(([k, key]) => (
                    <option key={k} value={k}>
                      {t(key)}
                    </option>
                  ))}
                </select>
              </div>
              {(c.kind === 'webhook' || c.kind === 'slack') && (
                <div>
                  <label for={`c-url-${i}`}>{t('url')}</label>
                  <input id={`c-url-${i}`} name="channel-url" type="url" required value={c.url} onInput={(e) => setChannel(i, { url: e.currentTarget.value })} />
                </div>
              )}
              {c.kind === 'webhook' && (
                <div>
                  <label for={`c-secret-${i}`}>{t('secret')}</label>
                  <input
                    id={`c-secret-${i}`}
                    name="channel-secret"
                    type="password"
                    autocomplete="new-password"
                    minLength={8}
                    placeholder={initial && c.url ? t('secretKept') : ''}
                    value={c.secret}
                    onInput={(e) => setChannel(i, { secret: e.currentTarget.value })}
                  />
                </div>
              )}
              {c.kind === 'email' && (
                <div>
                  <label for={`c-to-${i}`}>{t('address')}</label>
                  <input id={`c-to-${i}`} type="email" required value={c.to} onInput={(e) => setChannel(i, { to: e.currentTarget.value })} />
                </div>
              )}
              {c.kind === 'atom' && <div class="muted small atom-url">{c.token && c.url ? c.url : t('atomNew')}</div>}
              {c.kind !== 'webhook' && <div />}
              <button type="button" onClick={() => setChannels((cs) => cs.filter((_, j) => j !== i))} disabled={channels.length === 1}>
                {t('remove')}
              </button>
            </div>
          ))}
          <div class="wide">
            <button type="button" onClick={() => setChannels((cs) => [...cs, { kind: 'webhook', url: '', secret: '', to: '' }])}>
              + {t('addChannel')}
            </button>
          </div>
        </fieldset>
        {error && (
          <p role="alert" class="error">
            {error.message}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {initial ? t('save') : t('create')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
