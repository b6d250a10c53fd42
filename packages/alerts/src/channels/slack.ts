import { DEFAULT_LABEL_NAMES, strings, type LabelNames } from '../i18n.js';
import { messageLang, type AlertMessage, type AlertStory, type Lang } from '../message.js';
import { evidenceTerms, labelList, storyTitle } from './format.js';

/** Slack's mrkdwn needs only these three escaped. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Slack allows 50 blocks; a digest shows this many stories and counts the rest. */
const MAX_STORIES = 20;

export interface SlackBody {
  text: string;
  blocks: Record<string, unknown>[];
}

function storyBlocks(story: AlertStory, names: LabelNames, lang: Lang): Record<string, unknown>[] {
  const t = strings(lang);
  const colon = lang === 'zh' ? '：' : ': ';
  const title = clip(storyTitle(story, lang), 300).replace(/\|/g, '¦');
  const meta = [esc(story.source), story.publishedAt ? story.publishedAt.slice(0, 10) : null].filter(Boolean).join(' · ');
  const tags = [
    story.areas.length ? `*${t.areas}*${colon}${esc(labelList(story.areas, names, lang))}` : null,
    story.districts.length ? `*${t.districts}*${colon}${esc(labelList(story.districts, names, lang))}` : null,
  ].filter(Boolean);
  const ev = evidenceTerms(story);
  if (ev.length) tags.push(`*${t.evidence}*${colon}${esc(ev.join(lang === 'zh' ? '、' : ', '))}`);
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*<${story.url}|${esc(title)}>*\n${meta}`, 3000) } },
  ];
  if (tags.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(tags.join('   '), 3000) }] });
  return blocks;
}

/** The JSON body for a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat). */
export function renderSlack(msg: AlertMessage, names: LabelNames = DEFAULT_LABEL_NAMES): SlackBody {
  const lang = messageLang(msg);
  const t = strings(lang);
  const sub = msg.subscription.name;
  const first = msg.stories[0];
  const intro =
    msg.kind === 'digest' ? t.digestIntro(sub, msg.stories.length) : msg.kind === 'test' ? t.testIntro(sub) : t.intro(sub);
  const text =
    msg.kind === 'digest' || !first ? t.digestSubject(sub, msg.stories.length) : `${t.alertSubject(sub, storyTitle(first, lang))} ${first.url}`;
  const blocks: Record<string, unknown>[] = [{ type: 'section', text: { type: 'mrkdwn', text: esc(intro) } }];
  for (const s of msg.stories.slice(0, MAX_STORIES)) blocks.push(...storyBlocks(s, names, lang));
  const more = msg.stories.length - MAX_STORIES;
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: lang === 'zh' ? `另有 ${more} 条` : `and ${more} more` }] });
  return { text: esc(text), blocks };
}
