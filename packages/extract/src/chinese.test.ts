import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml } from './decode.js';
import { extractArticle } from './extract.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../testdata/${name}`, import.meta.url));

// Chinese news pages as Radar meets them: portal chrome (nav, breadcrumb, share bar, related
// links, hot lists, comments, ICP footer), a GBK-encoded government page laid out with tables
// and <br>, a blog whose paragraphs are bare <div>s. The text must be the article and only it.
describe('Chinese pages', () => {
  it('extracts a UTF-8 portal article without its chrome', () => {
    const a = extractArticle(fixture('zh-news-portal.html').toString('utf8'), 'https://news.example.cn/finance/2024-05/06/c_1130123456.htm');
    expect(a.title).toBe('北京发布金融科技创新试点新一批项目 首次纳入跨境支付场景');
    expect(a.text.startsWith('本报讯（记者 李明）5月6日，北京金融科技创新监管试点第五批项目名单正式公布。')).toBe(true);
    expect(a.text).toContain('推动更多成熟项目“出箱”并在全市推广应用。');
    expect(a.text.split('\n\n')).toHaveLength(5);
    for (const chrome of ['首页', '相关新闻', '热点排行', '网友评论', '融资难的问题', '京ICP备', '责任编辑', '分享到微信', '当前位置']) {
      expect(a.text).not.toContain(chrome);
    }
    expect(a.published).toBe('2024-05-06T02:32:15.000Z');
    expect(a.author).toBe('李明');
    expect(a.lang).toBe('zh-CN');
    expect(a.canonical).toBe('https://news.example.cn/finance/2024-05/06/c_1130123456.htm');
    expect(a.siteName).toBe('京华新闻网');
  });

  it('extracts a GBK government page decoded from its bytes', () => {
    const bytes = fixture('zh-gov-gbk.html');
    const html = iconv.decode(bytes, 'gbk');
    // The package's own helper reads the <meta> charset and agrees with iconv-lite.
    expect(decodeHtml(bytes)).toBe(html);
    const a = extractArticle(html, 'http://www.bjhd.gov.cn/zwgk/zcwj/202403/t20240315_4567890.shtml');
    expect(a.title).toBe('海淀区出台促进人工智能与金融融合发展若干措施');
    expect(a.text.startsWith('为贯彻落实国家和本市关于发展新质生产力的部署要求')).toBe(true);
    expect(a.text).toContain('《措施》自发布之日起施行，有效期三年。');
    expect(a.text.split('\n\n')).toHaveLength(5);
    for (const chrome of ['网站首页', '您当前的位置', '附件', '相关链接', '网站标识码', '字体']) expect(a.text).not.toContain(chrome);
    // "2024-03-15 09:00" on a Chinese page is Beijing time.
    expect(a.published).toBe('2024-03-15T01:00:00.000Z');
    expect(a.lang).toBe('zh');
  });

  it('extracts a blog article made of bare divs, with JSON-LD metadata', () => {
    const a = extractArticle(fixture('zh-blog-divs.html').toString('utf8'), 'https://kechuang.example.cn/news/20240120/3345.html?from=rss');
    expect(a.title).toBe('朝阳区数字经济专题调研：数据交易所一年来交易额突破百亿元');
    expect(a.text.startsWith('在朝阳区望京一栋写字楼里')).toBe(true);
    expect(a.text).toContain('推动形成可复制的经验。');
    for (const chrome of ['推荐阅读', '新规则对数据产品', '标签', '版权所有', '阅读 3.2万']) expect(a.text).not.toContain(chrome);
    expect(a.published).toBe('2024-01-20T06:05:00.000Z');
    expect(a.author).toBe('赵晓雨, 陈刚');
    expect(a.lang).toBe('zh-CN');
    expect(a.canonical).toBe('https://kechuang.example.cn/news/20240120/3345.html');
  });
});
