import { runService } from '@radar/runtime';
import { crawlerHandlers, startScheduler } from './index.js';

await runService('crawler', crawlerHandlers, startScheduler);
