import { runService } from '@radar/runtime';
import { classifierHandlers } from './index.js';

await runService('classifier', classifierHandlers);
