import { describe, expect, it } from 'vitest';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Round-6 conventions (set F's misses), each pinned with new sentences written for these tests
 * (rules only).
 */
const { areasOf, districtsOf } = rulesOnly();

describe('places', () => {
  it.each([
    ['en', 'Beijing Yizhuang Investment and two state funds will each take a stake in the new Beijing plant.', 'daxing'],
    ['zh', '北京一家新工厂获得海淀国有资本投资有限公司注资。', 'haidian'],
  ])("a company named after a district is not the district (%s)", (_lang, body, notPlace) => {
    expect(districtsOf(body)).not.toContain(notPlace);
  });

  it("another business district called a CBD is not Beijing's CBD", () => {
    const d = districtsOf('北京城市副中心的绿色CBD——运河商务区又迎来10家企业。');
    expect(d).toContain('tongzhou');
    expect(d).not.toContain('chaoyang');
  });

  it("Huairou Science City's east zone is in Miyun", () => {
    const d = districtsOf('北京密云区把怀柔科学城东区作为发展引擎，新建两个科研平台。');
    expect(d).toContain('miyun');
    expect(d).not.toContain('huairou');
  });

  it('where a firm moved away from is not where the story is', () => {
    const d = districtsOf('这家北京公司去年从海淀搬到亦庄，新厂房已投产。');
    expect(d).toContain('daxing');
    expect(d).not.toContain('haidian');
  });
});

describe('areas', () => {
  it('data called a new factor of production is big data (data as a production factor)', () => {
    expect(areasOf('方案指出，数据这一新型生产要素正在改变软件业的生产方式。')).toContain('big-data');
  });
});
