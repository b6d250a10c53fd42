import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier, type RadarClassifier } from './classifier.js';

/**
 * Round-3 gaps on unseen news for the areas, each with new sentences written for these tests:
 * a technology named inside a list of industries in a long article, a phone app or mobile
 * channel used to pay (mobile payment, iot), and 数字安全 / the cybersecurity industry.
 */
let rules: RadarClassifier;
let shipped: RadarClassifier;
beforeAll(async () => {
  rules = await loadClassifier({ modelFile: null });
  shipped = await loadClassifier({});
});

const areasOf = (c: RadarClassifier, body: string, title = '') => c.classify({ title, body }).areas.map((a) => a.id);

describe('a technology named outright is tagged even in a long article about something else', () => {
  // Long enough that the model has its full share of the score and, knowing only the usual
  // company of each word, would otherwise pull a named technology under the threshold.
  const zh =
    '今年以来，全区新开工道路十二条，改造老旧小区四十个，新增中小学学位三千个，公园绿地面积继续扩大。' +
    '上半年地区生产总值同比增长百分之六，社会消费品零售总额稳步回升，外贸进出口保持增长，固定资产投资增速位居全市前列。' +
    '区政府负责人在新闻发布会上介绍，下一步将优化营商环境，推进重点项目建设，加快产业园区配套设施，完善交通、医疗和养老服务，让企业和居民都有更多获得感。' +
    '会上还发布了人才公寓、学校建设和河道治理等民生工程的进展。';
  const en =
    'The county opened two new bridges, a hospital wing and a bus depot this year, and retail sales grew by six percent while exports held steady. ' +
    'The mayor told a press conference that more school places, cheaper housing for young families and a cleaner river were the priorities for next year, ' +
    'along with faster permits for small businesses and a new stadium near the old railway yard. Officials said tourism had recovered, hotel occupancy ' +
    'was at a record and the farmers market would move to a larger site in the spring.';
  it.each([
    ['zh list of industries', zh + '新落地的项目涉及生物医药、新能源汽车、大数据和新材料等方向。', 'big-data'],
    ['zh named once among many', zh + '园区将重点引进集成电路、区块链、现代物流等领域企业。', 'cloud-blockchain'],
    ['en list of industries', en + ' The new park will host firms in biotech, big data and new materials.', 'big-data'],
  ])('%s', (_name, body, area) => {
    expect(areasOf(shipped, body)).toContain(area);
  });

  it('traps still win over a named term', () => {
    expect(areasOf(shipped, '这家连锁超市优化了供应链管理，生鲜损耗下降。'.repeat(4))).not.toContain('cloud-blockchain');
  });
});

describe('a phone app or mobile channel used to pay is mobile payment (iot)', () => {
  it.each([
    ['en bank app', 'Passengers can now top up their bus pass in the lender\'s smartphone app and link any bank card to it.'],
    ['en mobile channels', 'The new rules cover payments made through online or mobile channels, including stored-value wallets.'],
    ['zh 手机 缴费', '居民在手机上就能完成水电燃气缴费，不用再跑营业厅。'],
    ['zh 手机客户端 缴费', '该行手机客户端新增生活缴费功能，水费电费一键支付。'],
  ])('%s', (_name, body) => {
    expect(areasOf(rules, body)).toContain('iot');
  });

  it.each([
    ['en app without payment', 'The museum released a smartphone app with audio guides for every gallery.'],
    ['en payment without a phone', 'The council agreed a payment plan with the contractor for the new library.'],
    ['zh 手机 without payment', '他用手机拍下了日出，照片在网上广为流传。'],
    ['zh phones and bank cards seized', '警方捣毁一个诈骗窝点，查获手机三十部、银行卡五十余张。'],
    ['en phones and bank cards seized', 'Police seized 40 mobile phones, wallets and bank cards from the gang.'],
  ])('not alone: %s', (_name, body) => {
    expect(areasOf(rules, body)).not.toContain('iot');
  });
});

describe('a terminal building is not a connected terminal', () => {
  it.each([
    ['airport terminal', 'Screens in the airport terminal now show gate changes in real time.'],
    ['Terminal 3', 'Travellers in Terminal 3 can see queue lengths updated in real time.'],
  ])('%s', (_name, body) => {
    expect(areasOf(rules, body)).not.toContain('iot');
  });

  it('a payment terminal that reports in real time is still iot', () => {
    expect(areasOf(rules, 'Each shop terminal sends sales data to the head office in real time.')).toContain('iot');
  });
});

describe('数字安全 and the cybersecurity industry are security', () => {
  it.each([
    ['zh 数字安全产业', '该区将数字安全列为重点产业，已聚集相关企业八十余家。'],
    ['zh 数字安全防护', '下一步将完善政务云的数字安全防护体系。'],
    ['en cybersecurity industry', 'The district wants its cybersecurity industry to double its revenue by 2027.'],
  ])('%s', (_name, body) => {
    expect(areasOf(rules, body)).toContain('security');
  });

  it('financial security as an industry label is still not security', () => {
    expect(areasOf(rules, '论坛围绕金融安全与稳定展开讨论。')).not.toContain('security');
  });
});
