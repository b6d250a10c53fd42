import { runService } from '@radar/runtime';
import { extractorHandlers } from './index.js';

await runService('extractor', extractorHandlers);
