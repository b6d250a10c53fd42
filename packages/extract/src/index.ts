export { extractArticle, parseHtml, type Article } from './extract.js';
export { hasFullText, textLength } from './full-text.js';
export { decodeHtml } from './decode.js';
export { parseDate, dateFromUrl, type DateOptions } from './dates.js';
