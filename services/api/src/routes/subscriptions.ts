import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

/** An analyst's own subscriptions (scope subscriptions:write). */
export function subscriptionRoutes(_app: FastifyInstance, _ctx: ApiContext): void {}
