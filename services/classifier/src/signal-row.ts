import type { Classification } from '@radar/classifier';
import type { Article, NewSignal, Label } from '@radar/db';

type SignalRow = NewSignal & { labels: { areas: Label[]; districts: Label[] } };

/** The stored signal of an article and its classification (one row per article). */
export function signalRow(
  article: Article,
  c: Pick<Classification, 'areas' | 'districts' | 'beijing' | 'lang'>,
  versions: { taxonomyVersion: string; classifierVersion: string },
): SignalRow {
  const scores = [...c.areas, ...c.districts].map((l) => l.score);
  return {
    article_id: article.id,
    story_id: article.story_id,
    feed_id: article.feed_id,
    title: article.title,
    url: article.url,
    source: article.source,
    lang: c.lang || article.lang,
    published_at: article.published_at,
    areas: c.areas.map((l) => l.id),
    districts: c.districts.map((l) => l.id),
    labels: { areas: c.areas as Label[], districts: c.districts as Label[] },
    beijing: c.beijing.value,
    beijing_score: c.beijing.score,
    max_score: scores.length ? Math.max(...scores) : 0,
    taxonomy_version: versions.taxonomyVersion,
    classifier_version: versions.classifierVersion,
  };
}
