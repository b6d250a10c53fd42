export { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { ensureRedis, redisAnswers, RedisUnavailableError } from './redis-server.js';
export { onShutdown } from './shutdown.js';
export { runService, startHandlers, concurrencyFrom, isStartupError } from './service.js';
