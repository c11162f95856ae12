import { afterEach, describe, expect, it } from 'vitest';
import { formatWon } from '../lib/format.ts';
import { i18n, setLanguage } from './i18n.ts';
import { withParticle } from './josa.ts';

describe('Korean particles', () => {
  afterEach(() => setLanguage('ko'));

  it('picks the form the last syllable takes', () => {
    expect(withParticle('사이즈', '을/를')).toBe('사이즈를');
    expect(withParticle('색상', '을/를')).toBe('색상을');
    expect(withParticle('39,000원', '이/가')).toBe('39,000원이');
    expect(withParticle('바지', '은/는')).toBe('바지는');
    expect(withParticle('신발', '과/와')).toBe('신발과');
    // 으로/로: 로 after a vowel and after ㄹ.
    expect(withParticle('서울', '으로/로')).toBe('서울로');
    expect(withParticle('부산', '으로/로')).toBe('부산으로');
    expect(withParticle('포인트', '으로/로')).toBe('포인트로');
  });

  it('reads digits and Latin letters as they are spoken, and keeps both forms for anything else', () => {
    expect(withParticle('20261206-0001', '이/가')).toBe('20261206-0001이'); // 일
    expect(withParticle('20261206-0002', '이/가')).toBe('20261206-0002가'); // 이
    expect(withParticle('20261206-0010', '을/를')).toBe('20261206-0010을'); // 영
    expect(withParticle('SKU-M', '을/를')).toBe('SKU-M을'); // 엠
    expect(withParticle('SKU-B', '을/를')).toBe('SKU-B를'); // 비
    expect(withParticle('사이즈 (XL)', '을/를')).toBe('사이즈 (XL)을'); // 엘, the bracket skipped
    expect(withParticle('★', '을/를')).toBe('★을(를)');
    expect(withParticle('', '이/가')).toBe('이(가)');
  });

  it('is what the shop writes in Korean, and leaves English alone', async () => {
    await setLanguage('ko');
    expect(i18n.t('productDetail.chooseMissing', { names: '색상, 사이즈' })).toBe(
      '색상, 사이즈를 선택해 주세요',
    );
    expect(i18n.t('checkout.placed', { number: '20261206-0002' })).toBe(
      '주문 20261206-0002가 접수되었습니다.',
    );
    expect(i18n.t('pointsPage.added', { amount: formatWon(10_000) })).toBe(
      '10,000원이 포인트로 충전되었습니다.',
    );
    await setLanguage('en');
    expect(i18n.t('checkout.placed', { number: '20261206-0002' })).not.toMatch(/[가-힣]/);
  });
});
