export { buildApi, vocabularyFromTaxonomy, type ApiOptions } from './app.js';
export { serveApi } from './serve.js';
export type { Vocabulary } from './filters.js';
export type { Principal, Access } from './auth.js';
