import { DEFAULT_CLUSTERS, DEFAULT_LABEL_NAMES, type LabelNames } from '@radar/alerts';
import { loadTaxonomy } from '@radar/taxonomy';

/** What alerting needs from the taxonomy: cluster members, label names, known ids. */
export interface TaxonomyLookups {
  clusters: Readonly<Record<string, readonly string[]>>;
  names: LabelNames;
  areas: Set<string>;
  districts: Set<string>;
}

/**
 * Reads the taxonomy the classifier uses (TAXONOMY_FILE, or the bundled one), so clusters and
 * label names follow it; an operator who adds a cluster there can subscribe to it.
 */
export function taxonomyLookups(file?: string): TaxonomyLookups {
  const tx = loadTaxonomy(file);
  const names: Record<string, { en: string; zh: string }> = { ...DEFAULT_LABEL_NAMES };
  for (const a of tx.areas) names[a.id] = a.name;
  const districts = tx.regions.flatMap((r) => r.districts);
  for (const d of districts) names[d.id] = d.name;
  for (const c of tx.clusters) names[c.id] = c.name;
  return {
    clusters: tx.clusters.length ? Object.fromEntries(tx.clusters.map((c) => [c.id, c.districts])) : DEFAULT_CLUSTERS,
    names,
    areas: new Set(tx.areas.map((a) => a.id)),
    districts: new Set(districts.map((d) => d.id)),
  };
}
