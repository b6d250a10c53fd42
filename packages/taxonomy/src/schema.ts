import { z } from 'zod';

/**
 * The shape of the taxonomy data file. Everything the classifier knows about areas, places and
 * traps lives in that one file; this schema is the only place that describes it.
 */

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a lower-case id (letters, digits, -)' });
const bilingual = z.object({ en: z.string().min(1), zh: z.string().min(1) });

/**
 * One dictionary entry. `t` is a term or a list of synonyms sharing the same settings.
 * Latin-only terms are matched on stemmed word tokens (so "neural networks" matches
 * "neural network"); terms containing Chinese characters are matched on the raw character stream.
 */
export const termSchema = z
  .object({
    t: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Strength of the evidence, 0..1. 0.5 or more is enough alone to assign the label. Default 1. */
    w: z.number().min(0).max(1).default(1),
    /** Match the written words exactly instead of their stems (Latin terms only). Default false. */
    exact: z.boolean().default(false),
    /**
     * Places only: the name is shared with places elsewhere (or with ordinary words), so it counts
     * only when the text is about the region, and never next to one of the district's conflicts.
     */
    amb: z.boolean().default(false),
    /**
     * With amb: also counts without the region's context when none of the district's conflicts
     * occurs anywhere in the text (朝阳区 in a Chinese story that never names Liaoning or Changchun).
     */
    lenient: z.boolean().default(false),
    /** Where the fact comes from (required for landmarks). */
    src: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();
export type TermInput = z.input<typeof termSchema>;
export type Term = z.output<typeof termSchema>;

/**
 * A co-occurrence rule: a term of `a` and a term of `b` within `within` characters of each other
 * (in the same field) are evidence of weight `w` for the area, though neither side need be evidence
 * alone ("sensors" and "transmit in real time": connected devices). Terms match like area terms
 * (Latin on stems unless `exact`, Chinese on the character stream); a side inside a trap that
 * blocks the area does not count.
 */
export const nearSchema = z
  .object({
    a: z.array(z.string().min(1)).min(1),
    b: z.array(z.string().min(1)).min(1),
    /** Most characters between the end of one side and the start of the other. Default 30. */
    within: z.number().int().min(0).max(300).default(30),
    w: z.number().min(0).max(1).default(0.8),
    exact: z.boolean().default(false),
    /** Why the pair means the area: the definition or convention it implements. */
    src: z.string().min(3, { error: 'a source note for the rule' }),
    note: z.string().optional(),
  })
  .strict();
export type NearRule = z.output<typeof nearSchema>;

export const areaSchema = z
  .object({
    id,
    name: bilingual,
    /** The plan's own words for this area. */
    plan: z.string().min(1),
    /** What the area covers: the labelling definition analysts follow. */
    covers: z.string().min(1),
    terms: z.array(termSchema).min(1),
    /** Co-occurrence rules: pairs of words near each other that together are evidence. */
    near: z.array(nearSchema).default([]),
  })
  .strict();
export type Area = z.output<typeof areaSchema>;

const landmarkSchema = termSchema.extend({ src: z.string().min(3, { error: 'a source note for the landmark' }) });

export const districtSchema = z
  .object({
    id,
    name: bilingual,
    /** Names of the district itself (Haidian, 海淀区, 海淀). */
    terms: z.array(termSchema).min(1),
    /** Landmarks, streets, parks, neighbourhoods, campuses and business districts in the district. */
    landmarks: z.array(landmarkSchema).default([]),
    /** Places elsewhere that share this district's name: a mention near one of these is not this district. */
    conflicts: z.array(z.string().min(1)).default([]),
    /**
     * Co-occurrence rules, as for areas: a name that is no place alone, next to a word that says
     * where the work happens ("Tsinghua" next to "team": research at the campus).
     */
    near: z.array(nearSchema).default([]),
  })
  .strict();
export type District = z.output<typeof districtSchema>;

export const regionSchema = z
  .object({
    /** Also the id of the region flag (`beijing`). */
    id,
    name: bilingual,
    /** Words that say the story is about the region (the city's name, its organisations). */
    terms: z.array(termSchema).min(1),
    districts: z.array(districtSchema).min(1),
    /**
     * Other places (cities, provinces). A story that names them more often than the region is
     * about them: a single passing "Beijing" in a Shanghai story does not make it a Beijing story.
     */
    elsewhere: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type Region = z.output<typeof regionSchema>;

/**
 * A trap: a word sense or a name that looks like evidence but is not. A trap that overlaps a
 * match suppresses it for the labels in `blocks` (a label id, 'areas', 'places' = region flags and
 * districts, or '*' = every label); the longest match wins, so a
 * trap longer than a term ("量子位" over "量子") always suppresses it. Traps are also hidden from the
 * statistical model. `re` is a JavaScript regular expression run on the normalised text
 * (lower case, simplified Chinese, half-width).
 */
export const trapSchema = z
  .object({
    t: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    re: z.string().min(1).optional(),
    /** With `re`: run the regex only on text that contains one of these strings (speed). */
    requires: z.array(z.string().min(1)).optional(),
    blocks: z.array(z.string().min(1)).min(1),
    exact: z.boolean().default(true),
    note: z.string().min(1),
  })
  .strict()
  .refine((v) => (v.t === undefined) !== (v.re === undefined), { error: 'a trap has either t or re' });
export type Trap = z.output<typeof trapSchema>;

export const clusterSchema = z
  .object({ id, name: bilingual, districts: z.array(id).min(1) })
  .strict();
export type Cluster = z.output<typeof clusterSchema>;

export const taxonomySchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    areas: z.array(areaSchema).min(1),
    regions: z.array(regionSchema).min(1),
    traps: z.array(trapSchema).default([]),
    clusters: z.array(clusterSchema).default([]),
  })
  .strict()
  .superRefine((tx, ctx) => {
    const seen = new Set<string>();
    const ids = [
      ...tx.areas.map((a) => a.id),
      ...tx.regions.map((r) => r.id),
      ...tx.regions.flatMap((r) => r.districts.map((d) => d.id)),
    ];
    for (const i of ids) {
      if (seen.has(i)) ctx.addIssue({ code: 'custom', message: `label id "${i}" is used twice` });
      seen.add(i);
    }
    for (const trap of tx.traps) {
      for (const b of trap.blocks) {
        if (!['*', 'areas', 'places'].includes(b) && !seen.has(b)) ctx.addIssue({ code: 'custom', message: `trap blocks unknown label "${b}"` });
      }
      if (trap.re !== undefined) {
        try {
          new RegExp(trap.re, 'gu');
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `trap regex ${trap.re} is invalid: ${(e as Error).message}` });
        }
      }
    }
    for (const c of tx.clusters) {
      for (const d of c.districts) {
        if (!seen.has(d)) ctx.addIssue({ code: 'custom', message: `cluster ${c.id} names unknown district "${d}"` });
      }
    }
  });
export type Taxonomy = z.output<typeof taxonomySchema>;
