import { runService } from '@radar/runtime';
import { alerterHandlers } from './index.js';

await runService('alerter', alerterHandlers);
