import { describe, expect, it } from 'vitest';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Every trap and convention of shared/taxonomy.md, in English and in Chinese. Rules only (no
 * model), so these hold whatever the corpus teaches the model.
 */
const { classify } = rulesOnly();

interface Case {
  name: string;
  title?: string;
  body: string;
  areas?: string[];
  notAreas?: string[];
  districts?: string[];
  notDistricts?: string[];
  beijing?: boolean;
}

function check(k: Case) {
  const r = classify(k.body, k.title ?? '');
  const areas = r.areas.map((a) => a.id);
  const districts = r.districts.map((d) => d.id);
  for (const a of k.areas ?? []) expect(areas, `${k.name}: area ${a}`).toContain(a);
  for (const a of k.notAreas ?? []) expect(areas, `${k.name}: no area ${a}`).not.toContain(a);
  for (const d of k.districts ?? []) expect(districts, `${k.name}: district ${d}`).toContain(d);
  for (const d of k.notDistricts ?? []) expect(districts, `${k.name}: no district ${d}`).not.toContain(d);
  if (k.beijing !== undefined) expect(r.beijing.value, `${k.name}: beijing`).toBe(k.beijing);
}

const senseTraps: Case[] = [
  { name: 'securities (en)', body: 'The securities regulator fined two securities firms for mis-selling bonds.', notAreas: ['security'] },
  { name: '证券 (zh)', body: '证监会对两家证券公司开出罚单，证券市场交易平稳。', notAreas: ['security'] },
  { name: 'security deposit (en)', body: 'Tenants will get their security deposit back within 30 days.', notAreas: ['security'] },
  { name: '押金 / 保证金 (zh)', body: '租户的押金和保证金将在30天内退还。', notAreas: ['security'] },
  { name: 'social security (en)', body: 'Social security payments rise 3% next year, the ministry said.', notAreas: ['security'] },
  { name: '社保 (zh)', body: '明年社保待遇上调3%，社保卡可在全国使用。', notAreas: ['security'] },
  { name: 'supply chain (en)', body: 'Banks expand supply chain finance for small exporters.', notAreas: ['cloud-blockchain'] },
  { name: '供应链 (zh)', body: '银行扩大供应链金融服务，支持小微出口企业。', notAreas: ['cloud-blockchain'] },
  { name: 'chain stores (en)', body: 'The retailer will open 200 chain stores and a restaurant chain.', notAreas: ['cloud-blockchain'] },
  { name: '连锁店 (zh)', body: '该零售商将新开200家连锁店，连锁经营规模扩大。', notAreas: ['cloud-blockchain'] },
  { name: 'cloudy weather (en)', body: 'Expect a cloudy morning; clouds clear by noon with light winds.', notAreas: ['cloud-blockchain'] },
  { name: '多云 (zh)', body: '今天白天多云转晴，夜间多云，北风二三级。', notAreas: ['cloud-blockchain'] },
  { name: 'quant funds (en)', body: 'Quant funds and quantitative trading strategies lost money this week.', notAreas: ['security'] },
  { name: 'quantitative easing (en)', body: 'The central bank ended quantitative easing, a quantum leap for policy.', notAreas: ['security'] },
  { name: '量化 (zh)', body: '量化私募本周回撤，量化交易监管趋严，量化宽松政策退出。', notAreas: ['security'] },
  { name: 'AI inside other words (en)', body: 'He said AIG staff in Dubai had been paid; Thailand and Shanghai were quiet.', notAreas: ['ai'] },
  { name: 'AI inside Latin words in Chinese text (zh)', body: '迪拜（Dubai）的AIG保险公司表示，said已付款。', notAreas: ['ai'] },
  { name: 'big ... data far apart (en)', body: 'A big day for the bank: the data show record deposits.', notAreas: ['big-data'] },
  { name: 'big. Data (en)', body: 'The deal is big. Data from the exchange show volumes doubled.', notAreas: ['big-data'] },
  { name: '庞大数据库 (zh)', body: '该机构拥有庞大数据库，记录了历年的交易。', notAreas: ['big-data'] },
  { name: 'e-CNY alone (en)', body: 'Shoppers paid with the e-CNY digital yuan at the fair.', notAreas: ['cloud-blockchain', 'ai'] },
  { name: '数字人民币 alone (zh)', body: '市民在庙会上使用数字人民币付款，数字人民币试点扩大。', notAreas: ['cloud-blockchain', 'ai'] },
  { name: 'e-CNY with blockchain named (en)', body: 'The e-CNY pilot adds a blockchain settlement layer.', areas: ['cloud-blockchain'] },
  { name: 'smart / intelligent alone (en)', body: 'The smart city plan promises intelligent services and digital transformation.', notAreas: ['ai'] },
  { name: '智能 / 智慧 alone (zh)', body: '智慧城市建设推动政务服务智能化和数字化转型。', notAreas: ['ai'] },
  { name: 'autonomous driving without AI (en)', body: 'Robotaxis and autonomous driving tests expand to new roads.', notAreas: ['ai'] },
  { name: '自动驾驶 without AI (zh)', body: '自动驾驶出租车测试道路扩大到新区域。', notAreas: ['ai'] },
  { name: 'autonomous driving with AI named (en)', body: 'Autonomous driving relies on artificial intelligence for perception.', areas: ['ai'] },
  { name: 'mobile banking is iot (en)', body: 'Bank of Beijing relaunched its mobile banking app.', areas: ['iot'], beijing: true },
  { name: '手机银行 is iot (zh)', body: '北京银行上线新版手机银行。', areas: ['iot'], beijing: true },
  { name: 'financial security as industry label (en)', body: 'The forum discussed financial security and stability of the banking system.', notAreas: ['security'] },
  { name: '金融安全 as industry label (zh)', body: '论坛围绕维护金融安全和金融稳定展开讨论。', notAreas: ['security'] },
  { name: 'financial security with a technology named (zh)', body: '围绕金融安全，企业展示了国密算法和量子通信产品。', areas: ['security'] },
  { name: 'building name (zh)', body: '签约仪式在奇安信大厦举行，双方将开展合作。', notAreas: ['security'] },
  { name: 'company name (zh)', body: '前景云与银行签署合作协议。', notAreas: ['cloud-blockchain'] },
  { name: 'building name (en)', body: 'The signing took place at the Qi An Xin building.', notAreas: ['security'] },
  { name: 'government data sharing is big-data (en)', body: 'The city opened a public data catalogue and data sharing platform for firms.', areas: ['big-data'] },
  { name: '公共数据授权运营 (zh)', body: '北京推进公共数据授权运营和政务数据共享。', areas: ['big-data'] },
  { name: 'data governance only as conference topic (en)', body: 'Panels covered data governance and talent.', notAreas: ['big-data'] },
  { name: '数据治理 only as conference topic (zh)', body: '论坛议题包括数据治理和人才培养。', notAreas: ['big-data'] },
  { name: 'mobile signalling analytics (zh)', body: '利用手机信令数据分析客流。', areas: ['big-data'] },
  { name: 'connected smart cane (en)', body: 'The smart cane reports its location and calls for help via a one-touch SOS; it connects to the Internet of Things platform.', areas: ['iot'] },
  { name: '智能拐杖 (zh)', body: '智能拐杖可实时定位并一键呼救，数据传回社区平台。', areas: ['iot'] },
  { name: 'distributed solar (zh)', body: '分布式光伏装机容量增长。', notAreas: ['cloud-blockchain'] },
  { name: 'password typed (zh)', body: '请勿向他人透露支付密码和银行卡密码。', notAreas: ['security'] },
  { name: '加密 as more flights (zh)', body: '春运期间航班加密，铁路加密车次。', notAreas: ['security'] },
  { name: 'figurative firewall (zh)', body: '筑牢金融风险防火墙，守住不发生系统性风险的底线。', notAreas: ['security'] },
  { name: '解密 as revealing secrets (zh)', body: '解密这家银行的增长之道。', notAreas: ['security'] },
  { name: '智能体育 / 数字人才 (zh)', body: '推动智能体育发展，培养数字人才。', notAreas: ['ai'] },
  { name: 'RWA as risk-weighted assets (en)', body: 'The bank cut its risk-weighted assets and RWA density fell.', notAreas: ['cloud-blockchain'] },
  { name: '流量密码 as a secret (zh)', body: '短视频找到了流量密码和财富密码。', notAreas: ['security'] },
  { name: '黑客松 is a hackathon (zh)', body: '银行举办金融科技黑客松大赛。', notAreas: ['security'] },
  { name: 'figurative firewall (en)', body: 'Regulators want a firewall between the bank and its brokerage arm.', notAreas: ['security'] },
  { name: '量子位 is a media name (zh)', body: '据量子位报道，这家公司完成融资。', notAreas: ['security'] },
];

const placeTraps: Case[] = [
  { name: 'Chaoyang, Liaoning (en)', body: 'Chaoyang, a city in Liaoning province, opened a logistics park.', notDistricts: ['chaoyang'], beijing: false },
  { name: '辽宁朝阳 (zh)', body: '辽宁省朝阳市新建物流园区，朝阳市政府表示将扩大投资。', notDistricts: ['chaoyang'], beijing: false },
  { name: '朝阳 next to 辽宁 in a Beijing story (zh)', body: '北京一家企业在辽宁朝阳设立分厂。', notDistricts: ['chaoyang'] },
  { name: "Beijing's Chaoyang (en)", body: "A fintech lab opened in Beijing's Chaoyang district.", districts: ['chaoyang'], beijing: true },
  { name: '朝阳区 alone, nothing elsewhere (zh)', body: '朝阳区发布智慧城市建设规划，推进数据要素流通。', districts: ['chaoyang'], beijing: true },
  { name: '长春市朝阳区 (zh)', body: '长春市朝阳区发布智慧城市建设规划。', notDistricts: ['chaoyang'], beijing: false },
  { name: '朝阳产业 (zh)', body: '北京把金融科技作为朝阳产业来培育。', notDistricts: ['chaoyang'] },
  { name: 'Tongzhou, Nantong (en)', body: 'Tongzhou district of Nantong city, Jiangsu, hosted a textile fair.', notDistricts: ['tongzhou'], beijing: false },
  { name: '南通通州 (zh)', body: '江苏南通市通州区举办家纺博览会。', notDistricts: ['tongzhou'], beijing: false },
  { name: '通州 in Beijing (zh)', body: '北京市通州区运河商务区新增金融机构。', districts: ['tongzhou'], beijing: true },
  { name: 'Zhongguancun-style park elsewhere (zh)', body: '天津滨海—中关村科技园新增注册企业300家。', notDistricts: ['haidian'] },
  { name: 'Zhongguancun-style park elsewhere (en)', body: 'The Tianjin Binhai-Zhongguancun Science Park registered 300 new firms.', notDistricts: ['haidian'] },
  { name: 'other city financial street (zh)', body: '重庆金融街新增两家银行。', notDistricts: ['xicheng'], beijing: false },
  { name: 'other city financial street (en)', body: "Chongqing's financial street welcomed two new banks.", notDistricts: ['xicheng'], beijing: false },
  { name: 'Zhongguancun admin committee (en)', body: 'The Administrative Committee of Zhongguancun Science Park released a fintech plan.', notDistricts: ['haidian'], beijing: true },
  { name: '中关村管委会 (zh)', body: '中关村科技园区管理委员会发布金融科技规划。', notDistricts: ['haidian'], beijing: true },
  { name: 'Zhongguancun Bank (en)', body: 'Zhongguancun Bank launched a loan product for startups.', notDistricts: ['haidian'] },
  { name: '中关村银行 (zh)', body: '中关村银行推出科创企业贷款产品。', notDistricts: ['haidian'] },
  { name: 'Zhongguancun alliance (en)', body: 'The Zhongguancun Fintech Industry Alliance held its annual meeting.', notDistricts: ['haidian'] },
  { name: '中关村联盟 (zh)', body: '中关村金融科技产业发展联盟召开年会。', notDistricts: ['haidian'] },
  { name: 'Zhongguancun park in Mentougou (zh)', body: '中关村门头沟园引进一批人工智能企业。', districts: ['mentougou'], notDistricts: ['haidian'] },
  { name: 'Zhongguancun park in Mentougou (en)', body: 'Zhongguancun Mentougou Park attracted a batch of AI companies.', districts: ['mentougou'], notDistricts: ['haidian'] },
  { name: 'Zhongguancun-branded park in another district (zh)', body: '在中关村无人机产业园，延庆区企业展示新产品。', districts: ['yanqing'], notDistricts: ['haidian'] },
  { name: 'a starting point is not a place (zh)', body: '从十八里店桥出发南行十分钟即到北京经开区的无人工厂。', districts: ['daxing'], notDistricts: ['chaoyang'] },
  { name: 'Zhongguancun as a place (en)', body: "The startup opened an office in Beijing's Zhongguancun.", districts: ['haidian'], beijing: true },
  { name: '中关村科学城 (zh)', body: '中关村科学城发布新一批政策。', districts: ['haidian'], beijing: true },
  { name: 'Financial Street Forum (en)', body: 'Speakers at the Financial Street Forum discussed regulation.', districts: ['xicheng'], beijing: true },
  { name: '金融街论坛 (zh)', body: '金融街论坛年会开幕，多位监管官员出席。', districts: ['xicheng'], beijing: true },
  { name: 'radiating to districts (en)', body: 'The Beijing data centre will serve firms in Haidian, radiating to Mentougou and Shijingshan.', districts: ['haidian', 'mentougou', 'shijingshan'] },
  { name: '辐射门头沟石景山 (zh)', body: '该中心位于北京海淀，辐射门头沟、石景山。', districts: ['haidian', 'mentougou', 'shijingshan'] },
  { name: 'hometown (en)', body: 'Li, who was born in Miyun, now runs a payments startup in Shenzhen.', notDistricts: ['miyun'] },
  { name: '家乡 (zh)', body: '张先生出生于北京密云，现在深圳经营一家支付公司。', notDistricts: ['miyun'] },
  { name: "Beijing org's own news (en)", body: "Bank of Beijing's app added a voice assistant.", beijing: true },
  { name: '北京银行自身新闻 (zh)', body: '北京银行手机银行上线新功能。', beijing: true },
  { name: "Beijing university's Shenzhen campus (en)", body: 'Researchers at Peking University Shenzhen Graduate School built a quantum sensor.', beijing: false },
  { name: '北京高校深圳校区 (zh)', body: '北京大学深圳研究生院团队研发量子传感器。', beijing: false },
  { name: 'Beijing time (zh)', body: '北京时间3月5日，美国一家银行宣布裁员。', beijing: false },
  { name: '故宫 alone is Beijing (zh)', body: '故宫博物院引入刷脸入园。', districts: ['dongcheng'], beijing: true },
  { name: '沈阳故宫 is not (zh)', body: '沈阳故宫推出数字化导览。', notDistricts: ['dongcheng'], beijing: false },
  { name: '地上地下 is not 上地 (zh)', body: '北京将统筹地上地下空间开发。', notDistricts: ['haidian'] },
  { name: '大兴调查研究 (zh)', body: '会议要求大兴调查研究之风。', notDistricts: ['daxing'] },
  { name: '大兴安岭 (zh)', body: '大兴安岭林区启用无人机巡护。', notDistricts: ['daxing'], beijing: false },
];

const unseen: Case[] = [
  { name: 'computer vision', body: 'The insurer uses computer vision to assess car damage.', areas: ['ai'] },
  { name: 'QKD', body: 'The bank linked two data centres with QKD.', areas: ['security'] },
  { name: 'SM4', body: 'Transactions are protected with SM2 and SM4.', areas: ['security'] },
  { name: 'palm-vein', body: 'Commuters can pay by palm-vein scan at the gates.', areas: ['security'] },
  { name: 'Hyperledger', body: 'The trade platform runs on Hyperledger Fabric.', areas: ['cloud-blockchain'] },
  { name: '上链', body: '每一笔票据都将上链存证。', areas: ['cloud-blockchain'] },
  { name: '车联网', body: '车联网先导区扩容。', areas: ['iot'] },
  { name: '掌静脉', body: '地铁站试点掌静脉支付。', areas: ['security'] },
  { name: 'Wudaokou', body: 'A new AI lab opened in Wudaokou.', districts: ['haidian'], beijing: true },
  { name: 'Sanlitun', body: 'Shops in Sanlitun accept palm payments.', districts: ['chaoyang'], beijing: true },
  { name: 'Liangxiang', body: 'A data centre is being built in Liangxiang.', districts: ['fangshan'], beijing: true },
  { name: 'Universal Beijing Resort', body: 'Universal Beijing Resort added face-scanning entry.', districts: ['tongzhou'], beijing: true },
  { name: '亦庄', body: '亦庄新建一座智算中心。', districts: ['daxing'], beijing: true },
  { name: '首钢园', body: '首钢园举办服贸会金融科技专题展。', districts: ['shijingshan'], beijing: true },
  { name: 'traditional characters', body: '北京海淀區發布區塊鏈與人工智慧政策。', areas: ['cloud-blockchain', 'ai'], districts: ['haidian'] },
  { name: 'full-width letters', body: 'ＡＩ与５Ｇ在北京落地。', areas: ['ai', 'iot'], beijing: true },
];

describe('word-sense traps (taxonomy.md)', () => {
  it.each(senseTraps.map((k) => [k.name, k] as const))('%s', (_n, k) => check(k));
});
describe('place traps (taxonomy.md)', () => {
  it.each(placeTraps.map((k) => [k.name, k] as const))('%s', (_n, k) => check(k));
});
describe('labels carried by techniques and landmarks, not cue words', () => {
  it.each(unseen.map((k) => [k.name, k] as const))('%s', (_n, k) => check(k));
});
