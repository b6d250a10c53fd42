import { z } from 'zod';
import { KeywordSyntaxError, parseKeywords } from './keywords.js';

const labelId = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a label id (lower-case letters, digits, -)' });

/** A host name: lower case, without `www.`; `news.cn` also matches `www.news.cn` and `en.news.cn`. */
const host = z
  .string()
  .trim()
  .toLowerCase()
  .transform((h) => h.replace(/^www\./, ''))
  .pipe(z.string().regex(/^[a-z0-9.-]+$/, { error: 'a host name such as news.cn' }));

/**
 * What a subscription asks for. Every criterion given must hold; an empty list means "any".
 * Stored as JSON in `subscriptions.filters`; new fields must be optional.
 */
export const filtersSchema = z
  .object({
    /** Technology areas (taxonomy ids). */
    areas: z.array(labelId).default([]),
    /** 'any' (default): one of the areas is enough; 'all': every one of them. */
    areasMatch: z.enum(['any', 'all']).default('any'),
    /** Beijing districts (taxonomy ids); one of them is enough. */
    districts: z.array(labelId).default([]),
    /** The plan's clusters (taxonomy ids), each standing for its districts. */
    clusters: z.array(labelId).default([]),
    /** true: only stories about Beijing. */
    beijing: z.boolean().optional(),
    /** A keyword expression (see keywords.ts), matched on title, summary and text. */
    keywords: z
      .string()
      .trim()
      .min(1)
      .superRefine((v, ctx) => {
        try {
          parseKeywords(v);
        } catch (e) {
          if (!(e instanceof KeywordSyntaxError)) throw e;
          ctx.addIssue({ code: 'custom', message: e.message });
        }
      })
      .optional(),
    /** Source hosts; one of them is enough. */
    sources: z.array(host).default([]),
    /** Languages (primary subtags: en, zh); one of them is enough. */
    lang: z.array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}$/, { error: 'a language code such as en or zh' })).default([]),
    /**
     * A label counts only with at least this score; with no area or district criterion, the
     * signal's best label must reach it. Default 0.
     */
    minScore: z.number().min(0).max(1).default(0),
  })
  .strict();

export type SubscriptionFilters = z.output<typeof filtersSchema>;
export type SubscriptionFiltersInput = z.input<typeof filtersSchema>;

/** Validates filters (from the CLI, the API or the database); throws a ZodError. */
export function parseFilters(raw: unknown): SubscriptionFilters {
  return filtersSchema.parse(raw);
}

/**
 * The plan's clusters as the bundled taxonomy names them, for when no taxonomy is loaded.
 * Keys are cluster ids, values the districts a cluster stands for.
 */
export const DEFAULT_CLUSTERS: Readonly<Record<string, readonly string[]>> = {
  'demonstration-zone-core': ['xicheng', 'haidian'],
  'underlying-technology-innovation': ['haidian'],
  'bank-insurance-technology': ['shijingshan'],
  'fintech-security': ['fangshan'],
  'asset-management': ['tongzhou'],
};

/** The ids a subscription may name: the taxonomy's (areas, districts, cluster ids). */
export interface TaxonomyIds {
  areas: Iterable<string>;
  districts: Iterable<string>;
  clusters: Iterable<string>;
}

/** One filter id the taxonomy does not know, with the field that names it (`filters.areas.0`). */
export interface UnknownId {
  field: string;
  id: string;
  message: string;
}

/**
 * The area, district and cluster ids of some filters that the taxonomy does not know. The schema
 * only checks their shape; a typo such as `haiden` would be stored and silently match nothing,
 * so the API (a 400) and the CLI (a usage error) both refuse them through this one check.
 */
export function unknownTaxonomyIds(filters: Pick<SubscriptionFiltersInput, 'areas' | 'districts' | 'clusters'>, known: TaxonomyIds): UnknownId[] {
  const out: UnknownId[] = [];
  const check = (key: 'areas' | 'districts' | 'clusters', what: string, allowed: Iterable<string>) => {
    const set = new Set(allowed);
    for (const [i, id] of (filters[key] ?? []).entries()) {
      if (!set.has(id)) out.push({ field: `filters.${key}.${i}`, id, message: `unknown ${what} "${id}" (one of ${[...set].join(', ')})` });
    }
  };
  check('areas', 'area', known.areas);
  check('districts', 'district', known.districts);
  check('clusters', 'cluster', known.clusters);
  return out;
}
