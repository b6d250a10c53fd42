export { webApp, WEB_DIST, WEB_PREFIX, type WebAppOptions } from './plugin.js';
export { pageLabels } from './labels.js';
export type { PageLabels, Names } from './shared/labels-shape.js';
