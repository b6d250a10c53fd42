import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TAXONOMY_FILE } from '@radar/taxonomy';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from './index.js';
import { normalise } from './normalise.js';

describe('normalise', () => {
  it('folds width, case and traditional characters, keeping offsets', () => {
    const s = 'Ｂｅｉｊｉｎｇ 區塊鏈 AI';
    const n = normalise(s);
    expect(n.text).toBe('beijing 区块链 ai');
    const i = n.text.indexOf('区块链');
    expect(s.slice(n.start[i], n.end[i + 2])).toBe('區塊鏈');
  });
  it('maps characters outside the BMP and expansions back to their source', () => {
    const s = '𠀀 ① x';
    const n = normalise(s);
    expect(n.text).toBe('𠀀 1 x');
    const i = n.text.indexOf('1');
    expect(s.slice(n.start[i], n.end[i])).toBe('①');
  });
});

describe('classify', () => {
  it('reports evidence at its offsets in the original title or body', async () => {
    const c = await loadClassifier({ modelFile: null });
    const body = '据报道，北京海淀區的銀行採用區塊鏈技術。';
    const r = c.classify({ title: 'Bank adopts Blockchains', body });
    const cb = r.areas.find((a) => a.id === 'cloud-blockchain')!;
    for (const e of cb.evidence) {
      const text = e.field === 'title' ? 'Bank adopts Blockchains' : body;
      expect(['Blockchains', '區塊鏈', '區塊鏈技術']).toContain(text.slice(e.start, e.end));
    }
    expect(r.districts.map((d) => d.id)).toEqual(['haidian']);
    expect(r.clusters).toContain('underlying-technology-innovation');
    expect(c.taxonomyVersion).toMatch(/^sha256:/);
  });

  it('handles a very long, match-dense text (the overlap checks stay linear)', async () => {
    const c = await loadClassifier();
    const body = '北京海淀区人工智能区块链，辽宁朝阳。Beijing AI blockchain in Haidian. '.repeat(6000);
    const r = c.classify({ title: '', body });
    expect(r.areas.map((a) => a.id).sort()).toEqual(['ai', 'cloud-blockchain']);
    expect(r.districts.map((d) => d.id)).toEqual(['haidian']);
    for (const e of r.areas[0]!.evidence) if (e.field === 'body') expect(body.slice(e.start, e.end).length).toBeGreaterThan(1);
  });

  it('takes a whole new region from a custom taxonomy file, without code', async () => {
    const tx = parse(readFileSync(DEFAULT_TAXONOMY_FILE, 'utf8'));
    tx.regions.push({
      id: 'shanghai',
      name: { en: 'Shanghai', zh: '上海' },
      terms: [{ t: ['shanghai', '上海'] }],
      districts: [
        {
          id: 'pudong',
          name: { en: 'Pudong', zh: '浦东新区' },
          terms: [{ t: ['pudong', '浦东新区', '浦东'] }],
          landmarks: [{ t: ['lujiazui', '陆家嘴'], w: 0.9, src: 'test fixture' }],
        },
      ],
    });
    tx.areas[0].terms.push({ t: ['智能风控新词'], w: 1 });
    const file = join(mkdtempSync(join(tmpdir(), 'radar-tx-')), 'taxonomy.yaml');
    writeFileSync(file, stringify(tx));
    const c = await loadClassifier({ taxonomyFile: file, modelFile: null });
    const r = c.classify({ title: '陆家嘴金融城发布区块链平台', body: '上海一家银行采用智能风控新词。' });
    expect(r.districts.map((d) => d.id)).toEqual(['pudong']);
    expect(r.regions?.find((x) => x.id === 'shanghai')?.value).toBe(true);
    expect(r.beijing.value).toBe(false);
    expect(r.areas.map((a) => a.id)).toContain('ai');
  });
});
