import { describe, expect, it } from 'vitest';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Round-3 gaps on unseen news: district false positives, each with new sentences written for
 * these tests (rules only). A place named as a travel-time reference or a trip's starting point,
 * a name shared with a blockchain, an organisation's branch called a "sub-centre", and hospitals
 * with campuses in several districts do not place a story.
 */
const { classify, districtsOf } = rulesOnly();


describe('reference points: travel times and starting points (zh)', () => {
  it.each([
    ['travel time to two landmarks', '园区位于怀柔区，开车到国贸和望京都在一小时左右，到首都机场仅需40分钟。', 'huairou', ['chaoyang', 'shunyi']],
    ['travel time with 车程', '新基地落在平谷区，至金融街约九十分钟车程。', 'pinggu', ['xicheng']],
    ['starting point along a road', '从王府井沿长安街一路向西，四十分钟后便进入石景山区的首钢园。', 'shijingshan', ['dongcheng']],
    ['starting point heading a direction', '从西单向北骑行不久，就能看到海淀区的新建产业园。', 'haidian', ['xicheng']],
  ])('%s', (_name, body, place, notPlaces) => {
    const d = districtsOf(body);
    expect(d).toContain(place);
    for (const p of notPlaces) expect(d).not.toContain(p);
  });

  it('a district that is where the work happens still counts', () => {
    expect(districtsOf('今年，望京新建了三座数据中心，到年底将全部投用。')).toContain('chaoyang');
  });
});

describe('names that are not places on their own (en)', () => {
  it('Solana, the blockchain, is not the Chaoyang mall', () => {
    const r = classify('Validators on Solana restarted the network after a bug halted block production for five hours.');
    expect(r.districts.map((d) => d.id)).not.toContain('chaoyang');
    expect(r.beijing.value).toBe(false);
  });

  it('Solana in a Beijing story is still the Chaoyang mall', () => {
    expect(districtsOf('A pop-up robot café opened at the Solana mall in Beijing this weekend.')).toContain('chaoyang');
  });

  it("an organisation's sub-centre is not Beijing's city sub-center", () => {
    const body = 'The Beijing blood bank will open a sub-centre in Yizhuang next spring to shorten delivery times.';
    const d = districtsOf(body);
    expect(d).toContain('daxing');
    expect(d).not.toContain('tongzhou');
  });

  it('the city sub-center itself still places a story in Tongzhou', () => {
    expect(districtsOf('Three bank headquarters moved to the Beijing city sub-center this year.')).toContain('tongzhou');
  });

  it.each([
    ['en PUMCH', 'Peking Union Medical College Hospital now reads chest scans with a deep-learning model.', 'dongcheng'],
    ['zh 协和医院', '北京协和医院引入语音识别系统，门诊病历录入时间缩短一半。', 'dongcheng'],
    ['zh 朝阳医院', '朝阳医院上线智能导诊，患者在手机上就能完成预约和缴费。', 'chaoyang'],
  ])('a hospital with campuses in several districts does not place a story alone: %s', (_name, body, notPlace) => {
    expect(districtsOf(body)).not.toContain(notPlace);
  });

  it('a hospital with its district named is placed by the district', () => {
    expect(districtsOf('位于东城区的北京协和医院东单院区开设了新的门诊楼。')).toContain('dongcheng');
  });
});
