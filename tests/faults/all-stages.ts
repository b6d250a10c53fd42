import { runService } from '@radar/runtime';
import { allHandlers } from '../../services/cli/src/commands/start.js';
import { startScheduler } from '../../services/crawler/src/index.js';

// Every stage in one real process (what `pnpm start` runs, without the API), with the crawler's
// scheduler tick: fault tests start one process instead of four on a 2-core CI machine.
await runService('all-stages', allHandlers, startScheduler);
