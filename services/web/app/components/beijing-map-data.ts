/**
 * A schematic map of Beijing's 16 districts, drawn by hand for this page: north is up and each
 * district touches its real neighbours, but shapes are simplified and the old city
 * (Dongcheng, Xicheng) is enlarged so it can be read and clicked. Not to scale.
 * Coordinates are in a 600 x 600 box.
 */
export interface DistrictShape {
  id: string;
  points: [number, number][];
  /** Where its name goes. */
  label: [number, number];
  /** Small districts get a smaller name. */
  small?: boolean;
}

export const MAP_VIEWBOX = '0 0 600 600';

export const DISTRICT_SHAPES: DistrictShape[] = [
  { id: 'yanqing', points: [[20, 90], [150, 40], [230, 60], [250, 150], [200, 200], [110, 215], [40, 180]], label: [140, 130] },
  { id: 'huairou', points: [[230, 60], [300, 10], [360, 30], [350, 130], [330, 210], [280, 230], [250, 150]], label: [298, 120] },
  { id: 'miyun', points: [[360, 30], [470, 40], [560, 110], [540, 200], [450, 230], [400, 215], [330, 210], [350, 130]], label: [455, 130] },
  { id: 'changping', points: [[110, 215], [200, 200], [250, 150], [280, 230], [300, 280], [250, 300], [190, 300], [130, 260]], label: [212, 252] },
  { id: 'shunyi', points: [[280, 230], [330, 210], [400, 215], [420, 260], [440, 310], [430, 330], [400, 320], [330, 320], [300, 280]], label: [365, 272] },
  { id: 'pinggu', points: [[400, 215], [450, 230], [540, 200], [580, 250], [560, 300], [500, 320], [440, 310], [420, 260]], label: [500, 262] },
  { id: 'mentougou', points: [[40, 180], [110, 215], [130, 260], [190, 300], [170, 340], [150, 380], [140, 420], [90, 420], [30, 330]], label: [98, 318] },
  { id: 'haidian', points: [[190, 300], [250, 300], [300, 280], [300, 330], [296, 350], [240, 352], [240, 380], [200, 360], [170, 340]], label: [240, 328] },
  { id: 'shijingshan', points: [[170, 340], [200, 360], [240, 380], [225, 405], [185, 410], [150, 380]], label: [193, 384], small: true },
  { id: 'xicheng', points: [[240, 352], [296, 350], [296, 420], [240, 420]], label: [268, 386], small: true },
  { id: 'dongcheng', points: [[296, 350], [352, 352], [352, 420], [296, 420]], label: [324, 386], small: true },
  { id: 'chaoyang', points: [[300, 280], [330, 320], [400, 320], [395, 360], [380, 420], [350, 450], [352, 420], [352, 352], [296, 350], [300, 330]], label: [354, 336] },
  { id: 'fengtai', points: [[150, 380], [185, 410], [225, 405], [240, 380], [240, 352], [240, 420], [296, 420], [352, 420], [350, 450], [320, 470], [250, 460], [180, 450], [140, 420]], label: [226, 442] },
  { id: 'fangshan', points: [[90, 420], [140, 420], [180, 450], [250, 460], [260, 500], [230, 560], [130, 580], [60, 520], [50, 450]], label: [155, 510] },
  { id: 'daxing', points: [[250, 460], [320, 470], [350, 450], [380, 480], [400, 520], [360, 580], [280, 590], [230, 560], [260, 500]], label: [315, 528] },
  { id: 'tongzhou', points: [[400, 320], [430, 330], [470, 360], [480, 420], [460, 500], [400, 520], [380, 480], [350, 450], [380, 420], [395, 360]], label: [428, 430] },
];

export function pathOf(points: [number, number][]): string {
  return `M${points.map(([x, y]) => `${x},${y}`).join('L')}Z`;
}
