// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpPages, renderPage, shown } from '../../testing/page-harness.tsx';
import { OptionGroupsEditor } from './ProductOptionsFields.tsx';

// At 390 px the option's name kept 180 px beside the values, leaving the values 84 px: on a phone the
// two fields stack, each the row's whole width; from a tablet up the name sits beside the values.

/** The viewport happy-dom evaluates media queries against (the page's CSS, Mantine's responsive props). */
function viewport(width: number) {
  (
    window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } }
  ).happyDOM.setViewport({
    width,
    height: 844,
  });
}

async function showOptions(width: number) {
  viewport(width);
  const container = await renderPage(
    <OptionGroupsEditor
      groups={[{ name: '색상', values: '블랙, 화이트, 그레이' }]}
      errors={undefined}
      onChange={() => {}}
    />,
  );
  const name = await shown(() => container.querySelector<HTMLInputElement>('input[value="색상"]'));
  // Mantine writes its responsive props as `@media(min-width: …)`, which browsers read and happy-dom skips.
  for (const style of document.querySelectorAll('style'))
    style.textContent = style.textContent.replaceAll('@media(', '@media (');
  const field = name.closest<HTMLElement>('.mantine-TextInput-root')!;
  return {
    nameWidth: getComputedStyle(field).width,
    /** How the name and the values are laid out: one over the other (column) or side by side (row). */
    direction: getComputedStyle(field.parentElement!).flexDirection,
  };
}

afterEach(async () => {
  await cleanUpPages();
  viewport(1024);
});

describe('an option group on the product form', () => {
  it('stacks its name over its values on a phone, both the full width', async () => {
    expect(await showOptions(390)).toEqual({ nameWidth: '100%', direction: 'column' });
  });

  it('keeps the name narrow beside the values on a wider screen', async () => {
    expect((await showOptions(1280)).direction).toBe('row');
  });
});
