export {
  BATCHED,
  batchItems,
  batchPayload,
  JOBS,
  JOB_NAMES,
  MAX_BATCH_ITEMS,
  NEXT_STAGE,
  QUEUE_NAMES,
  SERVICE_JOBS,
  type BatchedJob,
  type JobName,
  type Payload,
  type ServiceName,
} from './catalog.js';
export { runBatch } from './handoff.js';
export { lookupBatcher, MicroBatcher, type MicroBatcherOptions } from './batcher.js';
export { handoffBatcher, JobQueues, redisConnection, UnrecoverableError, type FailedJob, type QueueOptions } from './runtime.js';
export {
  startWorkers,
  type Handler,
  type Handlers,
  type HandlerContext,
  type JobStatus,
  type RunningWorkers,
  type WorkerOptions,
} from './workers.js';
export { backlog } from './flow.js';
export { isDependencyDown, backoffDelay } from './transient.js';
