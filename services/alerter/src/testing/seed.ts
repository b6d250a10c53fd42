import type { Runtime } from '@radar/runtime';

export interface SeedArticle {
  /** Unique per article (its URL path). */
  slug: string;
  title: string;
  body: string;
  lang: 'en' | 'zh';
  source?: string;
  feedUrl?: string;
  /** Put it under this story (syndicated copies share one); default a new story. */
  storyId?: number;
  areas?: [string, number][];
  districts?: [string, number][];
  beijing?: boolean;
}

type Label = { id: string; score: number; evidence: unknown[] };

/** The classification a test gives an article, as classify-article would have produced it. */
export interface SeededClassification {
  articleId: number;
  classification: { areas: Label[]; districts: Label[]; beijing: { value: boolean; score: number; evidence: unknown[] }; lang: string };
  taxonomyVersion: string;
  classifierVersion: string;
}

/**
 * Stores an article (as the crawler and extractor would) and returns the classification to store
 * as its signal, so a test runs the real signal -> match-alerts -> deliver-alert path without the
 * crawler and the classifier.
 */
export async function seedArticle(rt: Runtime, a: SeedArticle): Promise<{ articleId: number; storyId: number; store: SeededClassification }> {
  const source = a.source ?? 'news.example';
  const { feed } = await rt.repos.feeds.add(a.feedUrl ?? `http://${source}/feed.xml`);
  const url = `http://${source}/${a.slug}.html`;
  const { id } = await rt.repos.articles.upsertFromFeed({
    canonical_url: url,
    url,
    feed_id: feed.id,
    guid: a.slug,
    source,
    title: a.title,
    summary: a.body.slice(0, 120),
    body: a.body,
    lang: a.lang,
    published_at: new Date(),
  });
  const storyId = a.storyId ?? (await rt.repos.articles.createStory(a.title, null));
  await rt.repos.articles.setStory(id, storyId);
  const label = ([lid, score]: [string, number]) => ({ id: lid, score, evidence: [{ term: lid, field: 'body' }] });
  return {
    articleId: id,
    storyId,
    store: {
      articleId: id,
      classification: {
        areas: (a.areas ?? []).map(label),
        districts: (a.districts ?? []).map(label),
        beijing: { value: a.beijing ?? (a.districts ?? []).length > 0, score: 0.9, evidence: [] },
        lang: a.lang,
      },
      taxonomyVersion: 'test',
      classifierVersion: 'test',
    },
  };
}
