import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from './classifier.js';
import { readCorpus } from './corpus.js';
import { parseModel } from './model.js';
import { fitLabel, train } from './train.js';

describe('fitLabel', () => {
  it("reproduces natural's Bayes log-odds for features it keeps", () => {
    const docs = [['a', 'b', 'c'], ['a', 'b'], ['a', 'd'], ['c', 'd'], ['d', 'e'], ['b', 'e'], ['c', 'e', 'a'], ['d', 'b']];
    const y = [true, true, true, false, false, false, true, false];
    const obs = docs.map((d) => Object.fromEntries(d.map((f, i) => [i, f])) as Record<number, string>);
    const df = new Map<string, number>();
    for (const d of docs) for (const f of d) df.set(f, (df.get(f) ?? 0) + 1);
    const { bias, weights, nb } = fitLabel(obs, y, df, 100, 0);
    const probe = { 0: 'a', 1: 'e' };
    const byLabel = new Map(nb.classifier.getClassifications(probe).map((c) => [c.label, c.value]));
    const natural = Math.log(byLabel.get('yes')! / byLabel.get('no')!);
    expect(bias + weights['a']! + weights['e']!).toBeCloseTo(natural, 3);
  });
});

function item(id: string, lang: 'en' | 'zh', split: 'train' | 'dev', title: string, body: string, areas: string[], districts: string[], beijing: boolean) {
  return JSON.stringify({ id, lang, title, body, source_url: 'https://example.org/' + id, areas, districts, beijing, split });
}

describe('train', () => {
  it('writes a model from whatever corpus files are there, skipping bad lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-corpus-'));
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      lines.push(item(`en-${i}`, 'en', i < 9 ? 'train' : 'dev', `Model ${i}`, `A bank in Beijing uses neural nets and machine learning for loans ${i}.`, ['ai'], [], true));
      lines.push(item(`zh-${i}`, 'zh', i < 9 ? 'train' : 'dev', `区块链 ${i}`, `上海一家银行上线区块链平台，第${i}期。`, ['cloud-blockchain'], [], false));
    }
    writeFileSync(join(dir, 'a.jsonl'), lines.join('\n') + '\n{"id": broken\n');
    const out = join(dir, 'model.json');
    const r = train({ corpusDir: dir, out, minPositives: 5, minDevPositives: 2 });
    expect(r.problems).toHaveLength(1);
    expect(r.model.corpus).toMatchObject({ train: 18, dev: 6 });
    expect(r.model.labels.map((l) => l.id)).toEqual(expect.arrayContaining(['ai', 'cloud-blockchain']));
    expect(r.seconds).toBeLessThan(60);
    const m = parseModel(readFileSync(out, 'utf8'));
    expect(m.version).toMatch(/^[0-9a-f]{12}$/);
    expect(readCorpus(dir).items).toHaveLength(24);
  });

  it('the committed model loads and is part of the classifier version', async () => {
    const c = await loadClassifier();
    expect(c.classifierVersion).toMatch(/^rules-\d+\+nb-[0-9a-f]{12}$/);
    const r = c.classify({ title: 'Beijing bank adopts machine learning', body: 'The lender in Haidian said its neural network cuts fraud.' });
    expect(r.areas[0]!.id).toBe('ai');
    const ai = (title: string, body: string) => c.explain({ title, body }).scores.find((s) => s.id === 'ai')!.model!;
    expect(ai('Beijing bank adopts machine learning', 'The lender said its neural network and deep learning models cut fraud.')).toBeGreaterThan(
      ai('Rain expected in Beijing', 'Showers will clear by noon, the weather bureau said.'),
    );
  });
});

describe('Model.scoreFields', () => {
  it('gives the same scores as scoring the feature strings', async () => {
    const c = await loadClassifier();
    for (const input of [
      { title: '北京海淀区发布人工智能大模型', body: '中关村软件园企业利用区块链和隐私计算，证券公司也参加。辽宁朝阳。' },
      { title: 'Palm-vein payments', body: 'A Beijing bank uses SM4 encryption; supply chain finance and cloudy weather.' },
    ]) {
      const a = c.analyse(input);
      const viaStrings = c.model!.score(a.features);
      const direct = c.model!.scoreFields(a.fields, a.match.traps);
      for (const [id, s] of viaStrings) {
        expect(direct.get(id)!.p).toBeCloseTo(s.p, 10);
        expect(direct.get(id)!.top.map((t) => t[0]).sort()).toEqual(s.top.map((t) => t[0]).sort());
      }
    }
  });
});
