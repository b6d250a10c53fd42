export { JOBS, JOB_NAMES, QUEUE_NAMES, SERVICE_JOBS, type JobName, type Payload, type ServiceName } from './catalog.js';
export { MicroBatcher, type MicroBatcherOptions } from './batcher.js';
export {
  JobQueues,
  startWorkers,
  redisConnection,
  UnrecoverableError,
  type FailedJob,
  type Handler,
  type Handlers,
  type HandlerContext,
  type JobStatus,
  type RunningWorkers,
  type WorkerOptions,
} from './runtime.js';
