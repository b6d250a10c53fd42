// PLACEHOLDER until the classifier issue lands: a plain term matcher with the final interface.
export type { Classifier, Classification, ClassifyInput, Evidence, LabelResult } from './types.js';
import type { Classifier, Classification, ClassifyInput, LabelResult } from './types.js';

const AREAS: Record<string, string[]> = {
  ai: ['artificial intelligence', 'machine learning', '人工智能', '大模型', '机器学习'],
  'big-data': ['big data', '大数据', '数据要素'],
  iot: ['internet of things', 'mobile payment', '物联网', '移动支付', '5g'],
  'cloud-blockchain': ['blockchain', 'cloud computing', '区块链', '云计算'],
  security: ['cryptography', 'quantum', '量子', '密码', '生物识别'],
};
const DISTRICTS: Record<string, string[]> = {
  xicheng: ['xicheng', '西城', '金融街'],
  haidian: ['haidian', '海淀'],
  chaoyang: ['chaoyang', '朝阳区'],
  shijingshan: ['shijingshan', '石景山'],
  fangshan: ['fangshan', '房山'],
  tongzhou: ['tongzhou', '通州'],
};

function match(dict: Record<string, string[]>, title: string, body: string): LabelResult[] {
  const out: LabelResult[] = [];
  for (const [id, terms] of Object.entries(dict)) {
    const evidence = [];
    for (const t of terms) {
      for (const [field, text] of [['title', title], ['body', body]] as const) {
        const i = text.toLowerCase().indexOf(t);
        if (i >= 0) evidence.push({ term: text.slice(i, i + t.length), field, start: i, end: i + t.length });
      }
    }
    if (evidence.length) out.push({ id, score: Math.min(1, 0.5 + 0.1 * evidence.length), evidence });
  }
  return out.sort((a, b) => b.score - a.score);
}

export async function loadClassifier(_opts: { taxonomyFile?: string | undefined } = {}): Promise<Classifier> {
  return {
    taxonomyVersion: 'placeholder',
    classifierVersion: 'placeholder',
    classify(input: ClassifyInput): Classification {
      const areas = match(AREAS, input.title, input.body);
      const districts = match(DISTRICTS, input.title, input.body);
      const bj = /beijing|北京/i.test(input.title + input.body) || districts.length > 0;
      return { areas, districts, beijing: { value: bj, score: bj ? 0.9 : 0.1, evidence: [] }, lang: input.lang ?? 'en' };
    },
  };
}
