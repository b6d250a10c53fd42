import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier, type RadarClassifier } from './classifier.js';

/**
 * Labels carried by specific techniques, products, standards and landmarks rather than the
 * taxonomy's cue words (the brief's list: OCR, knowledge graphs, NB-IoT, edge computing, privacy
 * computing, federated learning, Hyperledger, SM2, QKD, 上链, 车联网, 掌静脉; Wudaokou, Wangjing,
 * 798, Tiantongyuan, Huilongguan, Xidan, Qianmen, Tiananmen, the two airports, Liangxiang,
 * Universal Beijing Resort, Yizhuang, the Olympic Park). Short invented sentences, with the
 * shipped model: a label must hold on a headline-sized text too. '-x' means x must not be assigned.
 */
let c: RadarClassifier;
beforeAll(async () => {
  c = await loadClassifier();
});

const cases: [string, string, string][] = [
  ['ai', 'OCR reads invoices', 'The lender now reads scanned invoices with optical character recognition, cutting processing time.'],
  ['ai', 'Knowledge graphs catch fraud rings', 'Investigators link accounts through a knowledge graph of 2 billion relations.'],
  ['-ai', 'RPA bots', 'The bank deployed RPA bots to reconcile accounts overnight.'],
  ['iot', 'NB-IoT water meters', 'Utilities rolled out NB-IoT water meters across the city.'],
  ['iot', 'Edge nodes', 'Operators installed edge computing nodes next to base stations.'],
  ['security', 'Privacy computing platform', 'Banks use privacy computing so that raw data never leaves each institution.'],
  ['ai', 'Federated learning for credit', 'Lenders trained a credit model with federated learning across three banks.'],
  ['cloud-blockchain', 'Hyperledger Fabric for bills', 'The exchange records commercial bills on Hyperledger Fabric.'],
  ['security', 'SM2 certificates', 'All mobile banking certificates switch to SM2 and SM3 by June.'],
  ['security', '隐私计算平台', '多家银行上线隐私计算平台，实现数据可用不可见。'],
  ['ai', 'OCR识别票据', '银行利用OCR识别票据，效率提升三倍。'],
  ['iot', 'NB-IoT燃气表', '燃气公司推广NB-IoT智能燃气表。'],
  ['cloud-blockchain', '票据上链', '供应链票据全部上链，实现可追溯。'],
  ['iot', '车联网先导区', '国家级车联网先导区建设加快。'],
  ['security', '刷掌进站', '乘客可通过掌静脉识别刷掌进站。'],
  ['security', 'QKD backbone', 'A QKD backbone links the two data centres.'],
  ['ai', 'gradient boosting', 'The lender uses gradient boosting to score small-business loans.'],
  ['ai', 'RAG', 'Retrieval-augmented generation helps analysts search filings.'],
  ['ai', '千亿参数', '算力中心为千亿参数模型训练提供支撑。'],
  ['iot', 'eSIM', 'eSIM手表可独立通话。'],
  ['cloud-blockchain', '信创云', '核心系统迁移到信创云。'],
  ['d:haidian', 'Wudaokou cafe', 'A fintech meetup in a Wudaokou cafe drew 200 founders.'],
  ['d:chaoyang', 'Wangjing office', 'The startup moved to a new office in Wangjing.'],
  ['d:chaoyang', '798 gallery', 'An AI art show opened at the 798 Art Zone.'],
  ['d:changping', 'Tiantongyuan', 'Residents of Tiantongyuan got new bus routes.'],
  ['d:changping', 'Huilongguan', 'A bike lane links Huilongguan and Shangdi.'],
  ['d:xicheng', 'Xidan', 'Xidan shopping streets installed cashierless kiosks.'],
  ['d:dongcheng', 'Qianmen Street', 'Qianmen Street shops accept digital payments.'],
  ['d:dongcheng', 'Tiananmen', 'Visitors to Tiananmen Square must book online.'],
  ['d:shunyi', 'Tianzhu bonded zone', 'A cross-border payment hub opened in the Tianzhu Comprehensive Bonded Zone.'],
  ['d:daxing', 'Daxing airport', 'Daxing International Airport opened a 5G smart terminal.'],
  ['d:fangshan', 'Liangxiang', 'A university in Liangxiang opened a data science lab.'],
  ['d:tongzhou', 'UBR', 'Universal Beijing Resort saw record visitors.'],
  ['d:daxing', 'Yizhuang', 'Robotaxis now run across Yizhuang.'],
  ['d:chaoyang', 'Olympic Park', 'A 5G network covers the Olympic Park in Beijing.'],
  ['d:haidian', '五道口', '五道口一家咖啡馆举办区块链沙龙。'],
  ['d:chaoyang', '三里屯', '三里屯商圈推广数字人民币。'],
  ['d:fangshan', '良乡', '良乡高教园区建设人工智能实验室。'],
  ['d:tongzhou', '环球度假区', '北京环球度假区游客量创新高。'],
  ['d:changping', '回龙观', '回龙观至上地自行车专用路开通。'],
  ['d:shunyi', '天竺综保区', '天竺综合保税区启用刷脸通关。'],
];

describe('vocabulary beyond the cue lists', () => {
  it.each(cases)('%s: %s', (want, title, body) => {
    const r = c.classify({ title, body });
    const labels = [...r.areas.map((a) => a.id), ...r.districts.map((d) => `d:${d.id}`)];
    if (want.startsWith('-')) expect(labels).not.toContain(want.slice(1));
    else expect(labels).toContain(want);
  });
});

/**
 * Concepts the taxonomy's definitions imply beyond its cue lists, found missing on independently
 * written news (recommendation engines and generative models are machine learning; location and
 * transit-card data are massive behavioural data; phone wallets and satellite broadband are
 * internet technologies; edge computing is distributed computing; faces recognised at a door are
 * biometrics), and place rules that were too strict or too loose. Invented sentences.
 */
const concepts: [string, string, string][] = [
  ['ai', 'Video app lets viewers switch off its recommendation engine', 'Viewers can now disable personalized recommendations in the settings menu.'],
  ['ai', '电商平台调整推荐算法', '平台表示将允许用户关闭个性化推荐功能。'],
  ['-ai', 'Labelbox.ai raises money', 'The data-labelling start-up Labelbox.ai raised new money from investors.'],
  ['big-data', 'Planners mine commuter location data', 'Planners analysed location-based service data from millions of phones to redraw bus routes.'],
  ['big-data', '交通部门分析出行数据', '市交通委利用轨迹数据和一卡通数据优化公交线路。'],
  ['iot', 'Village shops take M-Pesa', 'Most rural shops in the region now accept M-Pesa transfers.'],
  ['iot', 'Launch adds 20 broadband satellites', 'The operator expects its satellite broadband service to reach remote villages next year.'],
  ['iot', '低轨卫星发射成功', '这批卫星将用于手机直连卫星业务，为偏远地区提供宽带接入。'],
  ['iot', '街道摄像头联网', '全区摄像头联网后，路口画面实时回传到指挥平台。'],
  ['cloud-blockchain', 'Factories run inspection software at the edge', 'Factories can run inspection software on edge computing nodes close to their production lines.'],
  ['cloud-blockchain', '边缘云节点上线', '运营商在全市部署边缘云节点，为视频业务提供低时延服务。'],
  ['cloud-blockchain', 'Vendor upgrades its cloud OS', 'The company said its cloud operating system now manages 50,000 servers.'],
  ['security', 'Gyms let members in by recognising their faces', 'Members no longer need a card: the door reader recognises their faces.'],
  ['security', '酒店启用人脸验证', '入住旅客通过人脸验证即可办理手续。'],
  ['d:chaoyang', "A tower by the Bird's Nest finds a tenant", "A new office tower next to the Bird's Nest in Beijing signed its first tenant."],
  ['d:chaoyang', '花家地养老驿站', '北京花家地社区新建一座养老驿站。'],
  ['d:haidian', '上地软件企业扩招', '北京上地一带的软件企业今年扩招。'],
  ['-d:haidian', '市民坐上地铁上班', '北京市民坐上地铁去上班，以上地区客流上升。'],
  ['-d:shunyi', '小区房价不高', '北京这个小区离首都机场近，房价却不高。'],
  ['-d:chaoyang', '冬奥森林公园开园', '北京延庆冬奥森林公园今天开园。'],
];

describe('concepts implied by the definitions', () => {
  it.each(concepts)('%s: %s', (want, title, body) => {
    const r = c.classify({ title, body });
    const labels = [...r.areas.map((a) => a.id), ...r.districts.map((d) => `d:${d.id}`)];
    if (want.startsWith('-')) expect(labels).not.toContain(want.slice(1));
    else expect(labels).toContain(want);
  });

  it('a landmark places a long article even where the model has never met it', () => {
    const para =
      'Shoppers queued for hours outside the new flagship store, which sells clothes, shoes and bags from local designers. ' +
      'The landlord said footfall rose by a fifth this year and that restaurants on the upper floors are fully let. ';
    const r = c.explain({ title: 'Weekend crowds return to Sanlitun', body: `In Beijing, ${para.repeat(6)}` });
    const s = r.scores.find((x) => x.id === 'chaoyang')!;
    expect(s.model).not.toBeNull();
    expect(s.score).toBeGreaterThanOrEqual(s.rules);
    expect(r.districts.map((d) => d.id)).toContain('chaoyang');
  });
});
