export { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { ensureRedis, redisAnswers, RedisUnavailableError } from './redis-server.js';
export { onShutdown } from './shutdown.js';
export { runService, startHandlers, isStartupError } from './service.js';
export { concurrencyFrom } from './concurrency.js';
