import { labelName, strings, type LabelNames } from '../i18n.js';
import type { AlertLabel, AlertStory, Lang } from '../message.js';

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** "Artificial intelligence 0.92, Big data 0.61" */
export function labelList(labels: readonly AlertLabel[], names: LabelNames, lang: Lang): string {
  const sep = lang === 'zh' ? '、' : ', ';
  return labels.map((l) => `${labelName(names, l.id, lang)} ${l.score.toFixed(2)}`).join(sep);
}

/** The distinct evidence terms of a story's labels, strongest labels first, at most `max`. */
export function evidenceTerms(story: AlertStory, max = 6): string[] {
  const seen = new Set<string>();
  for (const l of [...story.areas, ...story.districts].sort((a, b) => b.score - a.score)) {
    for (const e of l.evidence) {
      if (e.field === 'model') continue;
      seen.add(e.term);
      if (seen.size >= max) return [...seen];
    }
  }
  return [...seen];
}

export function storyTitle(story: AlertStory, lang: Lang): string {
  return story.title?.trim() || strings(lang).untitled;
}

/** The lines describing one story in plain text. */
export function storyLines(story: AlertStory, names: LabelNames, lang: Lang): string[] {
  const t = strings(lang);
  const colon = lang === 'zh' ? '：' : ': ';
  const lines = [storyTitle(story, lang), story.url];
  const meta = [`${t.source}${colon}${story.source}`];
  if (story.publishedAt) meta.push(`${t.published}${colon}${story.publishedAt.slice(0, 16).replace('T', ' ')} UTC`);
  lines.push(meta.join(' · '));
  if (story.areas.length) lines.push(`${t.areas}${colon}${labelList(story.areas, names, lang)}`);
  if (story.districts.length) lines.push(`${t.districts}${colon}${labelList(story.districts, names, lang)}`);
  if (story.beijing.value) lines.push(`${t.beijing}${colon}${story.beijing.score.toFixed(2)}`);
  const ev = evidenceTerms(story);
  if (ev.length) lines.push(`${t.evidence}${colon}${ev.join(lang === 'zh' ? '、' : ', ')}`);
  if (story.summary) lines.push('', story.summary.trim());
  return lines;
}
