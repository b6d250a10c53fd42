import type { Runtime } from '@radar/runtime';

/**
 * Puts an article under a story: the story of an earlier article with the same content, or a
 * new story. Syndicated copies share a story, so alerts fire once per story.
 */
export async function assignStory(
  rt: Runtime,
  articleId: number,
  title: string | null,
  contentHash: string | null,
  simhash: string | null,
): Promise<number> {
  const existing = await rt.repos.articles.findStory(articleId, contentHash, simhash);
  const storyId = existing ?? (await rt.repos.articles.createStory(title, simhash));
  await rt.repos.articles.setStory(articleId, storyId);
  return storyId;
}
