import type { Lang } from './message.js';

/** Label display names by id, in English and Chinese; the service fills it from the taxonomy. */
export type LabelNames = Readonly<Record<string, { en: string; zh: string }>>;

/** The names of the default taxonomy (taxonomy.md), used when no taxonomy is loaded. */
export const DEFAULT_LABEL_NAMES: LabelNames = {
  ai: { en: 'Artificial intelligence', zh: '人工智能' },
  'big-data': { en: 'Big data', zh: '大数据' },
  iot: { en: 'Mobile internet and IoT', zh: '移动互联网与物联网' },
  'cloud-blockchain': { en: 'Cloud and blockchain', zh: '云计算与区块链' },
  security: { en: 'Security technology', zh: '安全技术' },
  dongcheng: { en: 'Dongcheng', zh: '东城区' },
  xicheng: { en: 'Xicheng', zh: '西城区' },
  chaoyang: { en: 'Chaoyang', zh: '朝阳区' },
  fengtai: { en: 'Fengtai', zh: '丰台区' },
  shijingshan: { en: 'Shijingshan', zh: '石景山区' },
  haidian: { en: 'Haidian', zh: '海淀区' },
  mentougou: { en: 'Mentougou', zh: '门头沟区' },
  fangshan: { en: 'Fangshan', zh: '房山区' },
  tongzhou: { en: 'Tongzhou', zh: '通州区' },
  shunyi: { en: 'Shunyi', zh: '顺义区' },
  changping: { en: 'Changping', zh: '昌平区' },
  daxing: { en: 'Daxing', zh: '大兴区' },
  huairou: { en: 'Huairou', zh: '怀柔区' },
  pinggu: { en: 'Pinggu', zh: '平谷区' },
  miyun: { en: 'Miyun', zh: '密云区' },
  yanqing: { en: 'Yanqing', zh: '延庆区' },
};

export function labelName(names: LabelNames, id: string, lang: Lang): string {
  return names[id]?.[lang] ?? id;
}

const STRINGS = {
  en: {
    alertSubject: (sub: string, title: string) => `[Radar: ${sub}] ${title}`,
    digestSubject: (sub: string, n: number) => `[Radar: ${sub}] ${n} new ${n === 1 ? 'story' : 'stories'}`,
    testSubject: (sub: string) => `[Radar: ${sub}] test alert`,
    intro: (sub: string) => `New for your subscription "${sub}":`,
    digestIntro: (sub: string, n: number) => `${n} new ${n === 1 ? 'story' : 'stories'} for your subscription "${sub}":`,
    testIntro: (sub: string) => `This is a test of your subscription "${sub}". The story below is a sample.`,
    areas: 'Areas',
    districts: 'Districts',
    beijing: 'About Beijing',
    evidence: 'Why',
    source: 'Source',
    published: 'Published',
    untitled: '(untitled)',
    footer: 'You receive this because you subscribed to Radar alerts.',
    yes: 'yes',
    no: 'no',
  },
  zh: {
    alertSubject: (sub: string, title: string) => `[Radar：${sub}] ${title}`,
    digestSubject: (sub: string, n: number) => `[Radar：${sub}] ${n} 条新报道`,
    testSubject: (sub: string) => `[Radar：${sub}] 测试提醒`,
    intro: (sub: string) => `您的订阅"${sub}"有新报道：`,
    digestIntro: (sub: string, n: number) => `您的订阅"${sub}"有 ${n} 条新报道：`,
    testIntro: (sub: string) => `这是订阅"${sub}"的测试提醒，以下为示例报道。`,
    areas: '技术领域',
    districts: '区域',
    beijing: '与北京相关',
    evidence: '依据',
    source: '来源',
    published: '发布时间',
    untitled: '（无标题）',
    footer: '您收到此邮件是因为订阅了 Radar 提醒。',
    yes: '是',
    no: '否',
  },
} as const;

export type Strings = (typeof STRINGS)[Lang];

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
