import { describe, expect, it } from 'vitest';
import { parseTaxonomy } from '@radar/taxonomy';
import { RadarClassifier } from './classifier.js';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Round-2 gaps on unseen news, each with new sentences written for these tests (rules only):
 * connected devices by co-occurrence, big-data agencies vs big-data infrastructure, and words
 * that look like security technology but are job titles or transit density.
 */
const { classify, areasOf } = rulesOnly();


describe('connected devices: a device word near a connection word (taxonomy `near` rules)', () => {
  it.each([
    ['zh sensors uploading', '果园里布设的土壤传感器每十分钟把湿度读数自动上传至管理平台。'],
    ['zh cameras linked to a command centre', '全区路口的摄像头已全部接入交通指挥中心，拥堵情况一目了然。'],
    ['zh meters read remotely', '小区改造后，燃气表读数通过无线传输送到燃气公司，抄表员不必上门。'],
    ['zh monitoring network and platform', '河道两岸的水质监测网络与区级监管平台打通，超标即自动告警。'],
    ['en sensors transmitting', 'Soil sensors across the orchard transmit moisture readings to the farm office every ten minutes.'],
    ['en cameras feeding a control room', 'Cameras at each crossing feed into a control room where staff adjust the signal timing.'],
    ['en meters reporting', 'The new water meters report to the utility remotely, so nobody has to read them by hand.'],
  ])('%s', (_name, body) => {
    expect(areasOf(body)).toContain('iot');
  });

  it.each([
    ['zh a camera alone', '游客在景区用摄像头拍下了日出的画面。'],
    ['zh a platform alone', '该公司搭建了人才服务管理平台，为企业提供招聘服务。'],
    ['zh far apart', `车间新装了一批温度传感器。${'工人们在午休时讨论了下个月的排班和食堂的新菜单，'.repeat(3)}厂里的调度中心也搬了新址。`],
    ['en a camera alone', 'Tourists lined up with cameras to photograph the sunrise over the lake.'],
    ['en a wireless phone', 'She called the clinic from a wireless terminal at the community office.'],
  ])('not %s', (_name, body) => {
    expect(areasOf(body)).not.toContain('iot');
  });

  it('shows both words as the evidence', () => {
    const r = classify('井盖下的传感器实时回传水位数据。');
    const iot = r.areas.find((a) => a.id === 'iot');
    expect(iot?.evidence.map((e) => e.term)).toContain('传感器…实时回传');
  });

  it('is data: a taxonomy without the rule does not see the pair', () => {
    const text = `
name: t
areas:
  - {id: iot, name: {en: IoT, zh: 物联网}, plan: p, covers: c, terms: [{t: 物联网}],
     near: [{a: [水表], b: [远程], within: 10, src: "test rule"}]}
regions:
  - {id: r, name: {en: R, zh: R}, terms: [{t: rr}], districts: [{id: d, name: {en: D, zh: D}, terms: [{t: dd}]}]}
`;
    const own = new RadarClassifier(parseTaxonomy(text), undefined);
    expect(own.classify({ title: '', body: '新水表可远程抄读。' }).areas.map((a) => a.id)).toEqual(['iot']);
    expect(own.classify({ title: '', body: '新水表装好了，师傅说以后如有问题可以请他远程指导。' }).areas).toEqual([]);
  });
});

describe('big-data: an agency named vs big-data infrastructure', () => {
  it('a big-data centre built as infrastructure is big-data', () => {
    expect(areasOf('该省将加快建设工业互联网大数据中心和一批算力设施。')).toContain('big-data');
  });
  it('a city agency called 大数据中心 is not the topic', () => {
    expect(areasOf('市大数据中心发布通知，下周一起办公地址迁至新楼。')).not.toContain('big-data');
  });
  it('a data bureau is not the topic', () => {
    expect(areasOf('区数据局局长出席了座谈会。')).not.toContain('big-data');
  });
});

describe('security: job titles and 加密 as "denser"', () => {
  it.each([
    ['zh an expert commenting', '一位网络安全专家表示，新规有助于消费者了解所用的服务。'],
    ['en an expert commenting', 'A cybersecurity expert said the new labelling rule would help consumers.'],
    ['zh denser transit', '明年城区公交线网加密，新增站点20个。'],
    ['zh denser metro', '新线开通后，北部地区的地铁加密，通勤时间缩短。'],
  ])('not %s', (_name, body) => {
    expect(areasOf(body)).not.toContain('security');
  });
  it.each([
    ['zh encrypted transmission', '该系统对交易数据进行端到端加密，防止信息泄露。'],
    ['en encryption', 'The bank encrypts customer records with the SM4 cipher.'],
  ])('still %s', (_name, body) => {
    expect(areasOf(body)).toContain('security');
  });
});

describe('synonyms of the covers concepts (both languages)', () => {
  it.each([
    ['big-data', '该所本月新增数据产品挂牌二十项，并开展数据资产登记。'],
    ['big-data', 'The exchange added twenty data product listings and began data asset registration.'],
    ['big-data', '这家消费金融公司用大数据风控替代人工审批。'],
    ['big-data', 'The lender replaced manual checks with big-data risk control.'],
    ['iot', '运营商为园区建设5G专网，工厂设备统一接入物联网平台。'],
    ['iot', 'The operator built a private 5G network and joined the machines to an IoT platform.'],
    ['cloud-blockchain', '运营商推进云网融合，为中小企业提供云服务器。'],
    ['cloud-blockchain', 'The carrier pushes cloud-network integration and rents cloud servers to small firms.'],
    ['security', '多家银行参加了网络攻防演练，并对客户数据进行数据脱敏。'],
    ['security', 'Banks joined a red-team exercise and applied data masking to customer records.'],
  ])('%s: %s', (area, body) => {
    expect(areasOf(body)).toContain(area);
  });
});
