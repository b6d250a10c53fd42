import { Feed } from 'feed';
import { DEFAULT_LABEL_NAMES, labelName, type LabelNames } from '../i18n.js';
import type { AlertStory, AlertSubscriptionRef } from '../message.js';
import { storyLines } from './format.js';

export interface AtomOptions {
  subscription: AlertSubscriptionRef;
  /** Newest first. */
  stories: AlertStory[];
  /** The feed's own URL (with its secret token): Atom's self link. */
  selfUrl: string;
  names?: LabelNames;
}

const lang2 = (l: string | null) => ((l ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en');

/**
 * A subscription's private Atom feed: one entry per alert, identified by a tag URI that never
 * changes, so a feed reader shows each story once.
 */
export function renderAtom(o: AtomOptions): string {
  const names = o.names ?? DEFAULT_LABEL_NAMES;
  const newest = o.stories[0];
  const feed = new Feed({
    id: `tag:radar,2026:subscription/${o.subscription.id}`,
    title: `Radar: ${o.subscription.name}`,
    description: `Alerts of the Radar subscription "${o.subscription.name}"`,
    link: o.selfUrl,
    feedLinks: { atom: o.selfUrl },
    updated: newest ? new Date(newest.alertedAt) : new Date(0),
    generator: 'Radar',
    author: { name: o.subscription.owner },
  });
  for (const s of o.stories) {
    const lang = lang2(s.lang);
    feed.addItem({
      id: `tag:radar,2026:alert/${s.alertId}`,
      title: s.title?.trim() || s.url,
      link: s.url,
      date: new Date(s.alertedAt),
      ...(s.publishedAt ? { published: new Date(s.publishedAt) } : {}),
      description: storyLines(s, names, lang).slice(2).join('\n'),
      category: [...s.areas, ...s.districts].map((l) => ({ term: l.id, name: labelName(names, l.id, lang) })),
    });
  }
  return feed.atom1();
}
