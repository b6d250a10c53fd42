import { describe, expect, it } from 'vitest';
import { rulesOnly } from './testing/rules-only.js';

/**
 * Round-5 conventions (set E's false positives and misses), each pinned with new sentences
 * written for these tests (rules only): names of events, laws, organisations and mall chains are
 * not topics or places; a team that travels somewhere works there; a wearable in a list of uses
 * is not a connected device; a face that is checked is facial recognition; a cloud drive is cloud.
 */
const { areasOf, districtsOf } = rulesOnly();

describe('names are not topics', () => {
  it.each([
    ['zh event', '外滩大会将与陆家嘴论坛、世界人工智能大会一起成为上海的城市名片。', 'ai'],
    ['en event', 'The World Artificial Intelligence Conference drew record crowds to the riverside venue.', 'ai'],
    ['en innovation centre', 'A robot from the Beijing Embodied Artificial Intelligence Robotics Innovation Center paced the runners.', 'ai'],
    ['zh law', '企业为遵守网络安全法，把服务器迁往本地。', 'security'],
    ['en law', 'The firm moved the servers to comply with the Cybersecurity Law.', 'security'],
  ])('%s', (_name, body, notArea) => {
    expect(areasOf(body)).not.toContain(notArea);
  });

  it('the topic itself, beside such a name, still counts', () => {
    expect(areasOf('在世界人工智能大会上，多家银行发布了自己的大模型。')).toContain('ai');
  });
});

describe('places', () => {
  it('a university team that travels to a district works there', () => {
    const d = districtsOf('北京大学一个六人调研组来到平谷区考察数字乡村建设。', '北大团队赴平谷调研');
    expect(d).toContain('pinggu');
    expect(d).not.toContain('haidian');
  });

  it('a mall chain named after Yansha is not the Yansha area', () => {
    expect(districtsOf('In Wangfujing, the New Yansha Mall will be renovated next year.')).not.toContain('chaoyang');
  });
});

describe('technology told in ordinary words', () => {
  it('a wearable in a list of possible uses is not a connected device', () => {
    expect(areasOf('The chip could benefit self-driving cars, wearables and other gadgets.')).not.toContain('iot');
  });

  it('a device that reports remotely is one; a remote server is not', () => {
    expect(areasOf('Sensors on the bridge send readings remotely to the control room.')).toContain('iot');
    expect(areasOf('The devices learn on the spot rather than relying on a remote server.')).not.toContain('iot');
  });

  it.each([
    ['en', 'Every entrance checks the faces of visitors against the records.'],
    ['zh', '入口处对进出人员进行人脸比对。'],
  ])('a face that is checked is facial recognition (%s)', (_lang, body) => {
    expect(areasOf(body)).toContain('security');
  });

  it('a cloud storage service is cloud', () => {
    expect(areasOf('Apple moved its iCloud service for mainland users to a local operator.')).toContain('cloud-blockchain');
  });
});
