export { startNewsSite, demoArticles, type NewsSiteOptions, syntheticArticles, type NewsSite, type SiteArticle } from './news-site.js';
export * from './kit.js';
export { startPrivateRedis, startPrivatePostgres, freePort, type PrivateServer } from './private-services.js';
