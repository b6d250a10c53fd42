import { z } from 'zod';

/**
 * The request and response schemas. They validate requests and, through
 * fastify-type-provider-zod, generate the OpenAPI document: one description, never two that
 * drift. Every string has a length bound and every number a range, so no input reaches the
 * database in a shape it would reject (which would be a 500).
 */

// No NUL or other C0 control characters: PostgreSQL refuses NUL in text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const text = (max: number) =>
  z.string().max(max, { error: `at most ${max} characters` }).refine((s) => !CONTROL.test(s), { error: 'control characters are not allowed' });

export const labelId = z
  .string()
  .max(64, { error: 'at most 64 characters' })
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'a label id: lower-case letters, digits and -' });

const INT4_MAX = 2_147_483_647;
/** A positive integer id given as text (path or query): digits only, within PostgreSQL's integer. */
export const idParam = z
  .string()
  .regex(/^[0-9]{1,10}$/, { error: 'a positive integer id' })
  .transform(Number)
  .pipe(z.number().int().min(1, { error: 'a positive integer id' }).max(INT4_MAX, { error: 'a positive integer id' }));

/** `a,b` or repeated `x=a&x=b`; at most `max` entries. */
export function listOf(item: z.ZodType<string, string>, max = 20) {
  return z
    .union([z.string().max(2000, { error: 'too long' }), z.array(z.string().max(2000, { error: 'too long' })).max(max)])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(max, { error: `at most ${max} values` }));
}

const boolText = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** ISO 8601 date-time with offset, or a date (midnight UTC). */
export const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 9999, {
    error: 'a date between 1900 and 9999',
  });

const host = z
  .string()
  .max(253, { error: 'at most 253 characters' })
  .regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, { error: 'a host name' })
  .transform((s) => s.toLowerCase());
const lang = z.string().max(16).regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'a language code such as en or zh' });

/** The signal filter, shared by the list, the export, the stream and (partly) the stats. */
export const filterQuery = z.object({
  area: listOf(labelId).optional().describe('Technology area id(s), any of: ai, big-data, iot, cloud-blockchain, security.'),
  district: listOf(labelId).optional().describe('Beijing district id(s), any of (haidian, xicheng, ...).'),
  cluster: listOf(labelId, 10).optional().describe("The plan's cluster id(s): signals in any of their districts."),
  beijing: boolText.optional().describe('Only signals about Beijing (true) or not about Beijing (false).'),
  source: listOf(host).optional().describe('Source host name(s), any of (e.g. www.news.cn).'),
  lang: listOf(lang, 10).optional().describe('Language code(s), any of (en, zh).'),
  min_score: z.coerce
    .number({ error: 'a number between 0 and 1' })
    .min(0, { error: 'a number between 0 and 1' })
    .max(1, { error: 'a number between 0 and 1' })
    .optional()
    .describe('Minimum score of a matching area label (or district label when only districts are asked for; else of the best label).'),
  from: instant.optional().describe('Occurred at or after (published time, or stored time when unknown); ISO 8601.'),
  to: instant.optional().describe('Occurred before; ISO 8601.'),
  q: text(200)
    .refine((s) => s.trim().length > 0, { error: 'must not be blank' })
    .optional()
    .describe('Text in the title or summary, case-insensitive substring (English or Chinese; no segmentation needed).'),
});
export type FilterQuery = z.output<typeof filterQuery>;

export const listQuery = filterQuery.extend({
  limit: z.coerce.number({ error: 'an integer between 1 and 500' }).int().min(1).max(500).default(50).describe('Page size (1..500, default 50).'),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'a cursor returned by a previous page' })
    .optional()
    .describe('The next_cursor of the previous page.'),
  order: z.enum(['desc', 'asc']).default('desc').describe('By signal id: newest first (desc, default) or oldest first.'),
});

export const exportQuery = filterQuery.extend({
  format: z.enum(['ndjson', 'csv']).default('ndjson').describe('ndjson (one JSON signal per line) or csv.'),
});

export const streamQuery = filterQuery.extend({
  since_id: idParam.optional().describe('Resume after this signal id (the Last-Event-ID header wins when both are given).'),
});

export const statsQuery = filterQuery.extend({
  bucket: z.enum(['hour', 'day', 'week']).default('day').describe('Bucket size; weeks start on Monday.'),
  tz: text(64)
    .refine(validTimeZone, { error: 'an IANA time zone such as Asia/Shanghai or UTC' })
    .default('UTC')
    .describe('Time zone of the bucket boundaries (IANA name, default UTC).'),
});

export function validTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const labelScore = z.object({ id: z.string(), score: z.number() });
const evidence = z.object({
  term: z.string(),
  field: z.string(),
  start: z.number().optional(),
  end: z.number().optional(),
  weight: z.number().optional(),
});

export const signalOut = z.object({
  id: z.number().int(),
  article_id: z.number().int(),
  story_id: z.number().int().nullable(),
  feed_id: z.number().int().nullable(),
  title: z.string().nullable(),
  url: z.string(),
  source: z.string(),
  lang: z.string().nullable(),
  published_at: z.string().nullable(),
  occurred_at: z.string(),
  areas: z.array(labelScore),
  districts: z.array(labelScore),
  beijing: z.object({ value: z.boolean(), score: z.number() }),
  max_score: z.number(),
  taxonomy_version: z.string(),
  classifier_version: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SignalOut = z.output<typeof signalOut>;

export const signalDetailOut = signalOut.extend({
  summary: z.string().nullable(),
  body: z
    .string()
    .nullable()
    .describe("The text the classifier read after the title (the article's body, else its summary): evidence in field `body` has offsets into it."),
  areas: z.array(labelScore.extend({ evidence: z.array(evidence) })),
  districts: z.array(labelScore.extend({ evidence: z.array(evidence) })),
  story_articles: z.array(
    z.object({
      id: z.number().int(),
      title: z.string().nullable(),
      url: z.string(),
      source: z.string(),
      lang: z.string().nullable(),
      published_at: z.string().nullable(),
      signal_id: z.number().int().nullable(),
    }),
  ),
});

export const errorOut = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const idPath = z.object({ id: idParam });
