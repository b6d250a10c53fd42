import { DEFAULT_LABEL_NAMES, strings, type LabelNames } from '../i18n.js';
import { messageLang, type AlertMessage, type AlertStory, type Lang } from '../message.js';
import { escapeHtml, evidenceTerms, labelList, storyLines, storyTitle } from './format.js';

export interface EmailContent {
  lang: Lang;
  subject: string;
  text: string;
  html: string;
}

function storyHtml(story: AlertStory, names: LabelNames, lang: Lang): string {
  const t = strings(lang);
  const colon = lang === 'zh' ? '：' : ': ';
  const rows: string[] = [];
  const meta = [`${t.source}${colon}${escapeHtml(story.source)}`];
  if (story.publishedAt) meta.push(`${t.published}${colon}${escapeHtml(story.publishedAt.slice(0, 16).replace('T', ' '))} UTC`);
  rows.push(`<div style="color:#666;font-size:13px">${meta.join(' · ')}</div>`);
  if (story.areas.length) rows.push(`<div><b>${t.areas}</b>${colon}${escapeHtml(labelList(story.areas, names, lang))}</div>`);
  if (story.districts.length) rows.push(`<div><b>${t.districts}</b>${colon}${escapeHtml(labelList(story.districts, names, lang))}</div>`);
  const ev = evidenceTerms(story);
  if (ev.length) rows.push(`<div><b>${t.evidence}</b>${colon}${ev.map((e) => `<code>${escapeHtml(e)}</code>`).join(' ')}</div>`);
  if (story.summary) rows.push(`<p>${escapeHtml(story.summary.trim())}</p>`);
  return `<li style="margin-bottom:16px"><a href="${escapeHtml(story.url)}" style="font-size:16px;font-weight:bold">${escapeHtml(
    storyTitle(story, lang),
  )}</a>${rows.join('')}</li>`;
}

/**
 * The subject, plain-text part and HTML part of an alert e-mail, written in the article's
 * language (for a digest, the language most of its stories are in).
 */
export function renderEmail(msg: AlertMessage, names: LabelNames = DEFAULT_LABEL_NAMES): EmailContent {
  const lang = messageLang(msg);
  const t = strings(lang);
  const sub = msg.subscription.name;
  const first = msg.stories[0];
  const subject =
    msg.kind === 'test'
      ? t.testSubject(sub)
      : msg.kind === 'digest' || !first
        ? t.digestSubject(sub, msg.stories.length)
        : t.alertSubject(sub, storyTitle(first, lang));
  const intro = msg.kind === 'digest' ? t.digestIntro(sub, msg.stories.length) : msg.kind === 'test' ? t.testIntro(sub) : t.intro(sub);
  const text = [intro, '', ...msg.stories.flatMap((s, i) => [...(i ? ['', '----', ''] : []), ...storyLines(s, names, lang)]), '', '--', t.footer].join('\n');
  const html = `<!DOCTYPE html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(intro)}</p>
<ul style="padding-left:18px">${msg.stories.map((s) => storyHtml(s, names, lang)).join('\n')}</ul>
<p style="color:#888;font-size:12px">${escapeHtml(t.footer)}</p>
</body></html>`;
  return { lang, subject, text, html };
}
