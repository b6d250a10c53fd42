import { loadTaxonomy } from '@radar/taxonomy';
import type { PageLabels } from './shared/labels-shape.js';

/**
 * The page's labels from a taxonomy file. Served as /app/taxonomy.json, so a taxonomy the
 * operator changed (TAXONOMY_FILE) shows without rebuilding the page.
 */
export function pageLabels(taxonomyFile?: string): PageLabels {
  const tx = loadTaxonomy(taxonomyFile);
  return {
    version: tx.version,
    areas: tx.areas.map((a) => ({ id: a.id, name: a.name })),
    regions: tx.regions.map((r) => ({ id: r.id, name: r.name, districts: r.districts.map((d) => ({ id: d.id, name: d.name })) })),
    clusters: tx.clusters.map((c) => ({ id: c.id, name: c.name, districts: c.districts })),
  };
}
