import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';
import { areaColour, type PageLabels } from '../lib/labels.js';
import type { SignalDetail } from '../lib/types.js';
import { ErrorNote } from './error-note.js';
import { EvidenceText } from './evidence-text.js';
import { DISTRICT_COLOUR, ScoreBar, Tag } from './tags.js';

interface Props {
  id: number;
  labels: PageLabels;
  onClose(): void;
  linkTo(id: number): string;
}

/**
 * One signal: title, source and time; its tags with their scores; the evidence highlighted in
 * the title and the text; the model's strongest features; and the story's other articles.
 */
export function SignalDetailPanel({ id, labels, onClose, linkTo }: Props) {
  const { t, label, dateTime } = useI18n();
  const [s, setS] = useState<SignalDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let alive = true;
    setS(null);
    setError(null);
    api.signal(id).then(
      (d) => alive && setS(d),
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [id]);
  // Move focus to the signal when it opens, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (s) heading.current?.focus();
  }, [s?.id]);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const colourOf = (labelId: string) => (labels.areas.some((a) => a.id === labelId) ? areaColour(labels, labelId) : DISTRICT_COLOUR);
  const all = s ? [...s.areas, ...s.districts] : [];
  const body = s ? (s.body ?? null) : null;
  const model = all.flatMap((l) => l.evidence.filter((e) => e.field === 'model').map((e) => ({ label: l.id, ...e })));
  const bodyTermsWithoutText = body === null ? all.flatMap((l) => l.evidence.filter((e) => e.field === 'body').map((e) => ({ label: l.id, term: e.term }))) : [];
  const textLang = s?.lang === 'zh' ? 'zh-CN' : (s?.lang ?? undefined);

  return (
    <section class="detail-pane card" aria-labelledby="detail-title" data-detail-id={id}>
      <div class="detail-actions">
        <button type="button" class="link-button back" onClick={onClose}>
          ← {t('back')}
        </button>
        <button type="button" class="icon-button close" onClick={onClose} aria-label={t('close')}>
          ×
        </button>
      </div>
      {error ? <ErrorNote error={error} scope="signals:read" /> : null}
      {!s && !error && <p class="muted">{t('loading')}</p>}
      {s && (
        <article>
          <h2 id="detail-title" tabIndex={-1} ref={heading} lang={textLang}>
            {s.title ? <EvidenceText field="title" text={s.title} labels={all} colourOf={colourOf} inline /> : t('untitled')}
          </h2>
          <p class="signal-meta">
            <span class="source">{s.source}</span>
            <span>
              {t('published')}: <time dateTime={s.occurred_at}>{dateTime(s.published_at ?? s.occurred_at)}</time>
            </span>
            {s.lang && <span class="lang-code">{s.lang}</span>}
            <span>{s.beijing.value ? t('beijing') : t('notBeijing')} ({s.beijing.score.toFixed(2)})</span>
            <a href={s.url} target="_blank" rel="noopener noreferrer">
              {t('openOriginal')} ↗
            </a>
          </p>

          <h3>{t('tags')}</h3>
          {all.length === 0 && <p class="muted">{t('noTags')}</p>}
          <table class="scores" hidden={all.length === 0}>
            <tbody>
              {all.map((l) => (
                <tr key={l.id} data-label={l.id}>
                  <th scope="row">
                    <Tag id={l.id} colour={colourOf(l.id)} />
                  </th>
                  <td class="num">{l.score.toFixed(2)}</td>
                  <td>
                    <ScoreBar score={l.score} />
                  </td>
                  <td class="muted small">
                    {[...new Set(l.evidence.filter((e) => e.field !== 'model').map((e) => e.term))].join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{t('evidence')}</h3>
          <p class="muted small">{t('evidenceHelp')}</p>
          {body !== null ? (
            <div lang={textLang}>
              <EvidenceText field="body" text={body} labels={all} colourOf={colourOf} />
            </div>
          ) : (
            <>
              {s.summary && <p lang={textLang}>{s.summary}</p>}
              {bodyTermsWithoutText.length > 0 && (
                <>
                  <p class="muted small">{t('noText')}</p>
                  <ul class="term-list">
                    {bodyTermsWithoutText.map((e, i) => (
                      <li key={i}>
                        <mark class="ev" style={{ backgroundColor: `${colourOf(e.label)}2e`, borderBottomColor: colourOf(e.label) }}>
                          {e.term}
                        </mark>{' '}
                        <span class="muted">{label(e.label)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
          {model.length > 0 && (
            <>
              <h4>{t('modelFeatures')}</h4>
              <ul class="term-list">
                {model.map((e, i) => (
                  <li key={i}>
                    <code>{e.term}</code> <span class="muted">{label(e.label)}{e.weight !== undefined ? ` · ${e.weight}` : ''}</span>
                  </li>
                ))}
              </ul>
            </>
          )}

          <h3>{t('story')}</h3>
          {s.story_articles.length === 0 ? (
            <p class="muted">{t('noStory')}</p>
          ) : (
            <ul class="story">
              {s.story_articles.map((a) => (
                <li key={a.id}>
                  {a.signal_id ? (
                    <a href={linkTo(a.signal_id)} lang={a.lang === 'zh' ? 'zh-CN' : (a.lang ?? undefined)}>
                      {a.title ?? t('untitled')}
                    </a>
                  ) : (
                    <a href={a.url} target="_blank" rel="noopener noreferrer">
                      {a.title ?? a.url}
                    </a>
                  )}
                  <span class="muted small">
                    {' '}
                    {a.source} · {dateTime(a.published_at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p class="muted small">{t('signalN', { id: s.id })}</p>
        </article>
      )}
    </section>
  );
}
