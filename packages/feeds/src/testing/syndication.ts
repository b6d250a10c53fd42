import { rss } from './server.js';

/** One story as three outlets syndicate it: different URLs, an edited headline, a trimmed ending. */
const BODY_EN =
  'Beijing has released a three-year action plan to build a global fintech hub, the municipal financial regulator said on Tuesday. ' +
  'The plan calls for digital renminbi pilots in Tongzhou and Haidian, a regulatory sandbox run with the central bank, and support for ' +
  'blockchain supply-chain finance platforms used by small manufacturers. Firms that set up technology subsidiaries in the sub-centre ' +
  'will receive rent subsidies and awards of up to ten million yuan. Officials said the city aims to attract a hundred fintech companies ' +
  'by 2027 and to open more public data to licensed institutions for credit scoring. Analysts said the measures echo earlier programmes ' +
  'in Zhongguancun but put more weight on compliance technology and cross-border payments for trade.';

const BODY_ZH =
  '北京市地方金融监督管理局周二发布关于加快建设全球金融科技中心的三年行动计划，提出在通州区和海淀区开展数字人民币试点，' +
  '联合中国人民银行建设金融科技监管沙盒，支持中小制造企业使用区块链供应链金融平台。在城市副中心设立科技子公司的金融机构可获得房租补贴，' +
  '最高奖励一千万元。有关负责人表示，到二〇二七年全市将引进一百家金融科技企业，并向持牌机构开放更多公共数据用于信用评估。';

export function syndicatedFeeds(): { name: string; xml: string; url: string }[] {
  const day = 'Tue, 05 Nov 2024 08:00:00 GMT';
  return [
    {
      name: 'wire',
      url: 'https://wire.example/feed.xml',
      xml: rss([
        { title: 'Beijing unveils plan to become global fintech hub', link: 'https://wire.example/2024/11/05/beijing-fintech-plan?utm_source=rss&utm_medium=feed', guid: 'wire-1', date: day, description: `<p>${BODY_EN}</p>` },
        { title: '北京发布全球金融科技中心三年行动计划', link: 'https://wire.example/zh/2024/11/05/fintech.html?spm=a2c4g.1', guid: 'wire-zh-1', date: day, description: BODY_ZH },
      ]),
    },
    {
      name: 'daily',
      url: 'http://www.daily.example/rss',
      xml: rss([
        {
          title: 'Beijing unveils three-year plan to become a global fintech hub',
          link: 'http://www.daily.example/business/beijing-fintech-hub.html?fbclid=abc123#comments',
          guid: 'http://www.daily.example/business/beijing-fintech-hub.html',
          date: day,
          description: BODY_EN.replace('on Tuesday', 'this week').replace('a hundred', '100'),
        },
        { title: '北京：三年建成全球金融科技中心', link: 'http://www.daily.example/zh/fintech-center.html?from=timeline&isappinstalled=0', guid: 'daily-zh-1', date: day, description: BODY_ZH.replace('周二', '日前').replace('一千万元', '1000万元') },
      ]),
    },
    {
      name: 'aggregator',
      url: 'https://agg.example/atomish.xml',
      xml: rss([
        {
          title: 'Beijing plans global fintech hub with digital yuan pilots',
          link: 'https://agg.example/r/8841?gclid=xyz',
          guid: 'agg-8841',
          date: day,
          // Trimmed: the last sentence is cut by the aggregator.
          description: BODY_EN.slice(0, BODY_EN.lastIndexOf(' Analysts said')),
        },
        { title: '北京将建全球金融科技中心 通州海淀试点数字人民币', link: 'https://agg.example/r/8842?utm_campaign=cn', guid: 'agg-8842', date: day, description: `${BODY_ZH.slice(0, BODY_ZH.lastIndexOf('，并向持牌机构'))}。` },
        { title: '海淀区发布人工智能产业发展行动计划', link: 'https://agg.example/r/9001', guid: 'agg-9001', date: day, description: '海淀区发布人工智能产业发展行动计划，提出到二〇二五年建成具有全球影响力的人工智能创新策源地，支持大模型企业在中关村科学城集聚发展，并设立百亿元规模的产业基金。' },
      ]),
    },
  ];
}
