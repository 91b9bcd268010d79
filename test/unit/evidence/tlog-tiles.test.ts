import { formatTilePath, parseTilePath, TileError } from '../../../infra/event-store/tlog-tiles';

describe('C2SP tlog-tiles paths', () => {
  it.each([
    ['0/000', { level: 0, index: 0, width: 256 }],
    ['0/x001/x234/067', { level: 0, index: 1234067, width: 256 }],
    ['1/x001/000.p/17', { level: 1, index: 1000, width: 17 }],
    ['entries/273.p/112', { level: 'entries', index: 273, width: 112 }],
    ['63/999', { level: 63, index: 999, width: 256 }],
  ])('given %s, then it parses and formats back the same', (path, ref) => {
    expect(parseTilePath(path)).toEqual(ref);
    expect(formatTilePath(parseTilePath(path))).toBe(path);
  });

  it.each([
    ['00/000', /level/],
    ['64/000', /level/],
    ['data/000', /level/],
    ['0/1', /3-digit groups/],
    ['0/001/234', /3-digit groups/],
    ['0/x000/001', /leading zero group/],
    ['0/000.p/0', /partial width/],
    ['0/000.p/256', /partial width/],
    ['0/000.p/07', /partial width/],
    ['0', /no tile index/],
    ['0/x1234/000', /3-digit groups/],
  ])('given %s, then it is refused, saying why', (path, why) => {
    expect(() => parseTilePath(path)).toThrow(TileError);
    expect(() => parseTilePath(path)).toThrow(why);
  });
});
