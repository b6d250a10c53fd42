import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY_FILE, loadTaxonomy, parseTaxonomy, TaxonomyError } from './index.js';

describe('taxonomy data file', () => {
  it('loads and validates the bundled file', () => {
    const t = loadTaxonomy();
    expect(t.areas.map((a) => a.id)).toEqual(['ai', 'big-data', 'iot', 'cloud-blockchain', 'security']);
    expect(t.regions[0]!.id).toBe('beijing');
    expect(t.regions[0]!.districts).toHaveLength(16);
    expect(t.clusters.map((c) => c.districts)).toContainEqual(['fangshan']);
    expect(t.version).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('gives every landmark a source note', () => {
    for (const d of loadTaxonomy().regions.flatMap((r) => r.districts)) {
      for (const l of d.landmarks) expect(l.src.length, `${d.id} ${String(l.t)}`).toBeGreaterThan(3);
    }
  });

  it('changes version with content', () => {
    const text = readFileSync(DEFAULT_TAXONOMY_FILE, 'utf8');
    expect(parseTaxonomy(text).version).toBe(loadTaxonomy().version);
    expect(parseTaxonomy(`${text}\n# a comment\n`).version).not.toBe(loadTaxonomy().version);
  });

  it('names every problem of an invalid file', () => {
    const bad = `
name: x
areas:
  - {id: ai, name: {en: AI, zh: 人工智能}, plan: p, covers: c, terms: [{t: ai, w: 2}]}
regions:
  - id: beijing
    name: {en: Beijing, zh: 北京}
    terms: [{t: beijing}]
    districts:
      - {id: haidian, name: {en: Haidian, zh: 海淀区}, terms: [{t: haidian}], landmarks: [{t: wudaokou}]}
`;
    try {
      parseTaxonomy(bad, 'bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TaxonomyError);
      const msg = (e as Error).message;
      expect(msg).toContain('areas.0.terms.0.w');
      expect(msg).toContain('landmarks.0.src');
    }
  });

  it('refuses a trap or cluster naming an unknown label', () => {
    const text = readFileSync(DEFAULT_TAXONOMY_FILE, 'utf8');
    const withTrap = text.replace('traps:\n', 'traps:\n  - {t: xyz, blocks: [nosuchlabel], note: n}\n');
    expect(() => parseTaxonomy(withTrap)).toThrow(/nosuchlabel/);
    const withCluster = text.replace('    districts: [fangshan]', '    districts: [fangshan, atlantis]');
    expect(() => parseTaxonomy(withCluster)).toThrow(/atlantis/);
  });
});
