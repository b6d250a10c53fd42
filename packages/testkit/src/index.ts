export { startNewsSite, demoArticles, syntheticArticles, type NewsSite, type SiteArticle } from './news-site.js';
export * from './kit.js';
