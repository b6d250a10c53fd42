import { describe, expect, it } from 'vitest';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Round-4 gaps on unseen news (set D), each with new sentences written for these tests (rules
 * only): a university's own research team places the work at its campus, E-Town by its English
 * name "Beijing Development Area", the fintech demonstration zone named without "Beijing", and
 * Capital Airport, whose district labellers do not agree on, only supporting Shunyi.
 */
const { districtsOf } = rulesOnly();


describe('a Beijing university doing the work (Tsinghua / Peking University area: Haidian)', () => {
  it.each([
    ['en team', 'A Tsinghua team has built a photonic chip that runs image classification at low power.'],
    ['en researchers', 'Peking University researchers published a privacy-preserving credit model.'],
    ['zh 团队', '清华大学电子工程系团队研制出一款存算一体芯片。'],
    ['zh 研究人员', '北京大学研究人员提出一种用于反欺诈的图学习方法。'],
  ])('places it in Haidian: %s', (_name, body) => {
    expect(districtsOf(body)).toContain('haidian');
  });

  it.each([
    ['a speaker\'s affiliation', 'Zhang Wei, a professor at Tsinghua University, told a Shanghai forum that banks should test large models.'],
    ['a lab set up in another district', '清华北大实验室落户昌平南口，建设新的中试基地。'],
    ['a campus elsewhere', '清华大学深圳国际研究生院团队发布一款金融风控大模型。'],
  ])('does not when the university is only named: %s', (_name, body) => {
    expect(districtsOf(body)).not.toContain('haidian');
  });
});

describe('other names of landmarks', () => {
  it('"Beijing Development Area" is E-Town (Daxing)', () => {
    expect(districtsOf('Cloud start-ups cluster in the Beijing Development Area, south-east of the city.')).toContain('daxing');
  });

  it('the national fintech demonstration zone in a Beijing story is Xicheng', () => {
    expect(districtsOf('北京建立全国首个国家级金融科技示范区，吸引多家持牌机构入驻。')).toContain('xicheng');
  });

  it('a fintech demonstration zone of another city is not', () => {
    expect(districtsOf('成都申报国家级金融科技示范区，计划三年内引进百家企业。')).not.toContain('xicheng');
  });
});

describe('Capital Airport supports Shunyi but does not place a story alone', () => {
  it.each([
    ['en', 'Beijing Capital International Airport added face-scan boarding gates.'],
    ['zh', '北京首都机场启用刷脸登机。'],
  ])('%s', (_lang, body) => {
    expect(districtsOf(body)).not.toContain('shunyi');
  });

  it('with Shunyi or its airport economic zone named, it does', () => {
    expect(districtsOf('首都机场临空经济区新设一家跨境支付企业。')).toContain('shunyi');
    expect(districtsOf('Shunyi opened a logistics hub beside Capital Airport.')).toContain('shunyi');
  });
});
