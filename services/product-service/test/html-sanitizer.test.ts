import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml, uploadedImageIds } from '../src/domain/html-sanitizer.ts';

describe('sanitizeHtml: allow-list', () => {
  it('keeps the allowed structure as is', () => {
    const html =
      '<h2>소개</h2><p>첫 줄<br>둘째 줄</p><h3>특징</h3><ul><li><strong>도톰한</strong> 원단</li><li><em>오버핏</em></li></ul><ol><li>하나</li></ol><h4>끝</h4>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it('drops disallowed tags but keeps their text', () => {
    expect(sanitizeHtml('<div><span class="x">맨투맨</span> <b>굵게</b> <h1>제목</h1></div>')).toBe(
      '맨투맨 굵게 제목',
    );
    expect(sanitizeHtml('<table><tr><td>셀</td></tr></table>')).toBe('셀');
  });

  it('drops script, style and other dangerous elements with their content', () => {
    for (const tag of [
      'script',
      'style',
      'iframe',
      'object',
      'textarea',
      'title',
      'noscript',
      'template',
      'svg',
      'math',
      'select',
    ]) {
      expect(sanitizeHtml(`<p>앞</p><${tag} a="1">alert(1)<p>안</p></${tag}><p>뒤</p>`), tag).toBe(
        '<p>앞</p><p>뒤</p>',
      );
    }
    expect(sanitizeHtml('<SCRIPT SRC=//evil.example/x.js></SCRIPT>남음')).toBe('남음');
    expect(sanitizeHtml('<script>var a = "</scriptx>";</script>끝')).toBe('끝');
    expect(sanitizeHtml('<p>x</p><script>never closed')).toBe('<p>x</p>');
    expect(sanitizeHtml('<embed src="x.swf"><p>ok</p>')).toBe('<p>ok</p>');
  });

  it('removes every attribute outside the allow-list, event handlers included', () => {
    expect(sanitizeHtml('<p onclick="alert(1)" style="color:red" class="a" id="b" data-x="1">글</p>')).toBe(
      '<p>글</p>',
    );
    expect(sanitizeHtml('<strong onmouseover=alert(1)>강조</strong>')).toBe('<strong>강조</strong>');
    expect(sanitizeHtml('<li/onclick=alert(1)>x</li>')).toBe('<li>x</li>');
    expect(sanitizeHtml('<p\nONCLICK\n=\n"alert(1)"\n>y</p>')).toBe('<p>y</p>');
  });

  it('drops comments, doctypes, CDATA and processing instructions', () => {
    expect(
      sanitizeHtml(
        '<!DOCTYPE html><!-- <script>alert(1)</script> --><p>a</p><![CDATA[<script>x</script>]]><?xml version="1.0"?>',
      ),
    ).toBe('<p>a</p>');
    expect(sanitizeHtml('<p>a</p><!-- never closed <script>')).toBe('<p>a</p>');
  });
});

describe('sanitizeHtml: links and images', () => {
  it('keeps https links, with rel forced', () => {
    expect(
      sanitizeHtml('<a href="https://sagamart.example/size" target="_blank" rel="opener">사이즈표</a>'),
    ).toBe('<a href="https://sagamart.example/size" rel="noopener noreferrer nofollow">사이즈표</a>');
  });

  it('drops links that are not https, keeping the text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'jav&#x61;script:alert(1)',
      'javascript&colon;alert(1)',
      'java\tscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:x',
      'http://plain.example',
      '//evil.example',
      '/relative',
      'https://',
      'https:\\\\evil.example',
    ]) {
      expect(sanitizeHtml(`<a href="${href}">링크</a>`), href).toBe('링크');
    }
    expect(sanitizeHtml('<a>이름만</a>')).toBe('이름만');
    // A quote ends the value; what follows is another attribute, and dropped.
    expect(sanitizeHtml('<a href="https://evil.example/"onmouseover="x">링크</a>')).toBe(
      '<a href="https://evil.example/" rel="noopener noreferrer nofollow">링크</a>',
    );
  });

  it('keeps images from our image API or https, with alt only', () => {
    expect(
      sanitizeHtml(
        '<img src="/api/products/images/3f1c2f0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f" alt="블랙" width="10" onerror="x()">',
      ),
    ).toBe('<img src="/api/products/images/3f1c2f0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f" alt="블랙">');
    expect(sanitizeHtml('<img src="https://cdn.example.com/a.jpg">')).toBe(
      '<img src="https://cdn.example.com/a.jpg" alt="">',
    );
    for (const src of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '/api/products/images/../../admin',
      'http://x.example/a.png',
      '/other/a.png',
    ]) {
      expect(sanitizeHtml(`<p><img src="${src}">사진</p>`), src).toBe('<p>사진</p>');
    }
  });

  it('escapes quotes and brackets inside kept attributes', () => {
    expect(
      sanitizeHtml('<img src="https://cdn.example.com/a.png" alt="&quot;><script>alert(1)</script>">'),
    ).toBe('<img src="https://cdn.example.com/a.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(sanitizeHtml("<a href='https://a.example/?q=1&amp;r=2'>q</a>")).toBe(
      '<a href="https://a.example/?q=1&amp;r=2" rel="noopener noreferrer nofollow">q</a>',
    );
  });
});

describe('sanitizeHtml: text and structure', () => {
  it('escapes stray angle brackets and bare ampersands, keeps character references', () => {
    expect(sanitizeHtml('a < b > c & d &amp; e &#39; f &nbsp;')).toBe(
      'a &lt; b &gt; c &amp; d &amp; e &#39; f &nbsp;',
    );
    expect(sanitizeHtml('<<script>alert(1)//<</script>')).toBe('&lt;');
    expect(sanitizeHtml('<3 사랑 </ 끝')).toBe('&lt;3 사랑 &lt;/ 끝');
  });

  it('balances tags: closes what is open, ignores stray end tags', () => {
    expect(sanitizeHtml('<p><strong>열림')).toBe('<p><strong>열림</strong></p>');
    expect(sanitizeHtml('</p>앞<ul><li>하나</ul>')).toBe('앞<ul><li>하나</li></ul>');
    expect(sanitizeHtml('<em><strong>x</em>y</strong>')).toBe('<em><strong>x</strong></em>y');
    expect(sanitizeHtml('<br/><br /></br>')).toBe('<br><br>');
  });

  it('drops an unterminated tag and what follows it', () => {
    expect(sanitizeHtml('<p>ok</p><img src="https://a.example/x.png" onerror="alert(1)"')).toBe('<p>ok</p>');
    expect(sanitizeHtml('<p title="unterminated>text')).toBe('');
  });

  it('is idempotent', () => {
    const inputs = [
      '<p onclick=x>a<script>b</script><a href="https://a.example/?x=1&y=2">c</a> & <img src="https://a.example/i.png" alt="<x>">',
      '<ul><li>하나<li>둘</ul>&copy; 2025',
    ];
    for (const input of inputs) {
      const once = sanitizeHtml(input);
      expect(sanitizeHtml(once)).toBe(once);
    }
  });
});

describe('htmlToText', () => {
  it('turns sanitized HTML into searchable text', () => {
    expect(htmlToText('<h3>특징</h3><ul><li>도톰한&nbsp;원단</li><li>오버핏</li></ul><p>A &amp; B</p>')).toBe(
      '특징 도톰한 원단 오버핏 A & B',
    );
  });
});

describe('uploadedImageIds', () => {
  it('finds the uploaded images a description shows, local or absolute, once each and lower-case', () => {
    const id = '0f8e2b1c-4d3a-4b5c-8d7e-6f5a4b3c2d1e';
    const html = sanitizeHtml(
      `<img src="/api/products/images/${id}"><img src="https://shop.example/api/products/images/${id.toUpperCase()}">` +
        '<img src="/api/products/images/not-an-id"><img src="https://cdn.example/a.png">',
    );
    expect(uploadedImageIds(html)).toEqual([id]);
    expect(uploadedImageIds('<p>사진 없음</p>')).toEqual([]);
  });
});
