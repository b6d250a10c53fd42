import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BadRequest } from './filters.js';

const PLACE: Record<string, string> = { querystring: 'query', params: 'path', body: 'body', headers: 'header' };

/**
 * Every error is a JSON body `{error, message, field?}`. Bad input is a 400 that names the
 * field; errors the client caused keep their 4xx; anything else is logged and answered 500
 * without details.
 */
export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      // A query or header parameter is named as the client wrote it ('area', not 'area.0');
      // a body field by its path ('scopes.0').
      const whole = err.validationContext === 'querystring' || err.validationContext === 'headers' || err.validationContext === 'params';
      const issues = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
        return {
          field: (whole ? path[0] : path.join('.')) || (PLACE[err.validationContext ?? ''] ?? 'request'),
          message: v.message ?? 'invalid',
        };
      });
      const first = issues[0]!;
      return reply.code(400).send({
        error: 'Bad Request',
        message: `${first.field}: ${first.message}`,
        field: first.field,
        issues,
      });
    }
    if (err instanceof BadRequest) {
      return reply.code(400).send({ error: 'Bad Request', message: err.message, field: err.field });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: errorName(status), message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(status >= 500 && status < 600 ? status : 500).send({
      error: 'Internal Server Error',
      message: 'the request failed on the server; it has been logged',
    });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}` });
  });
}

function errorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
  };
  return names[status] ?? 'Client Error';
}

/** A 404 in the shape of every other error. */
export function notFound(what: string) {
  return { error: 'Not Found', message: `no ${what}` };
}
