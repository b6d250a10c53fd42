import type { Names, PageLabels } from '../../src/shared/labels-shape.js';

export type { PageLabels };

export async function loadLabels(): Promise<PageLabels> {
  const res = await fetch(`${import.meta.env.BASE_URL}taxonomy.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`taxonomy.json: ${res.status}`);
  return (await res.json()) as PageLabels;
}

/** Every label id (areas, regions, districts, clusters) with its names. */
export function nameIndex(l: PageLabels): Map<string, Names> {
  const m = new Map<string, Names>();
  for (const a of l.areas) m.set(a.id, a.name);
  for (const r of l.regions) {
    m.set(r.id, r.name);
    for (const d of r.districts) m.set(d.id, d.name);
  }
  for (const c of l.clusters) m.set(c.id, c.name);
  return m;
}

export function allDistricts(l: PageLabels): { id: string; name: Names }[] {
  return l.regions.flatMap((r) => r.districts);
}

// Okabe-Ito colours: told apart with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

/** A stable colour per area, in taxonomy order. */
export function areaColour(l: PageLabels, id: string): string {
  const i = l.areas.findIndex((a) => a.id === id);
  return PALETTE[(i < 0 ? l.areas.length : i) % PALETTE.length]!;
}
