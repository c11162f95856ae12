import { describe, expect, it } from 'vitest';
import { colourOf, pictureKind, productPictureSvg, productPictureUrl, swatchOf } from './product-picture.ts';

describe('generated product pictures', () => {
  it('picks the silhouette from the deepest category that names a garment', () => {
    expect(pictureKind(['상의', '후드 티셔츠'])).toBe('hoodie');
    expect(pictureKind(['아우터', '후드 집업'])).toBe('hoodie');
    expect(pictureKind(['상의', '맨투맨/스웨트셔츠'])).toBe('longSleeve');
    expect(pictureKind(['상의', '반소매 티셔츠'])).toBe('tee');
    expect(pictureKind(['바지', '숏 팬츠'])).toBe('shorts');
    expect(pictureKind(['바지', '데님 팬츠'])).toBe('pants');
    expect(pictureKind(['신발', '스니커즈', '러닝화'])).toBe('shoe');
    expect(pictureKind(['가방', '백팩'])).toBe('bag');
    expect(pictureKind(['패션소품', '모자', '볼캡'])).toBe('cap');
    expect(pictureKind(['원피스/스커트', '롱 스커트'])).toBe('skirt');
    expect(pictureKind(['원피스/스커트', '미디 원피스'])).toBe('dress');
    expect(pictureKind([])).toBe('tee');
    // The product's name is more specific than a broad category.
    expect(pictureKind(['스포츠/레저', '등산/아웃도어'], '초경량 바람막이 재킷')).toBe('jacket');
    expect(pictureKind(['스포츠/레저', '스포츠 상의'], '드라이핏 트레이닝 티셔츠')).toBe('tee');
  });

  it('draws each colour in its own fill, and an unknown colour in neutral grey', () => {
    const black = productPictureSvg('hoodie', swatchOf('블랙'));
    const white = productPictureSvg('hoodie', swatchOf('화이트'));
    expect(black).toContain('fill="#222222"');
    expect(white).toContain('fill="#ecece8"');
    expect(black).not.toEqual(white);
    expect(swatchOf('무지개')).toBe(swatchOf(null));
    expect(productPictureUrl('tee', '네이비')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
  });

  it('finds the colour among the options, whatever the group is called', () => {
    expect(colourOf({ 색상: '블랙', 사이즈: 'M' })).toBe('블랙');
    expect(colourOf({ Color: 'Navy' })).toBe('Navy');
    expect(colourOf({ 사이즈: 'M' })).toBeNull();
  });
});
