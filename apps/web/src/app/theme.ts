import {
  Badge,
  createTheme,
  NativeSelect,
  NumberInput,
  PasswordInput,
  Textarea,
  TextInput,
} from '@mantine/core';

// The bundled Noto Sans KR (main.tsx) first: Hangul renders the same on every machine, one without
// Korean system fonts included. System fonts follow while it loads.
const FONT_STACK =
  '"Noto Sans KR", -apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Malgun Gothic", "Segoe UI", Roboto, sans-serif';

// Codes and numbers (`ff="monospace"`) keep their monospaced look, and a Hangul label beside them
// falls back to the bundled font rather than to a system font the machine may not have.
const MONOSPACE_STACK =
  'ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", "Courier New", "Noto Sans KR", monospace';

// Most fields are required, so only optional ones are marked ("Optional"). Without the asterisk a
// label's text is exactly its accessible name, which keeps `getByLabel('Email', { exact: true })` working.
const NO_ASTERISK = { defaultProps: { withAsterisk: false } };

// A badge is a status word: it is never cut to "배송 ···". Mantine's label hides what overflows, which
// makes a table column's narrowest width 0 and lets the table squeeze the badge to an ellipsis. It is
// shown as written: Mantine's capitals made English labels read as raw codes ("DELIVERED").
const WHOLE_BADGE = { styles: { root: { minWidth: 'max-content', textTransform: 'none' as const } } };

export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: FONT_STACK,
  headings: { fontFamily: FONT_STACK },
  fontFamilyMonospace: MONOSPACE_STACK,
  components: {
    TextInput: TextInput.extend(NO_ASTERISK),
    PasswordInput: PasswordInput.extend(NO_ASTERISK),
    NumberInput: NumberInput.extend(NO_ASTERISK),
    NativeSelect: NativeSelect.extend(NO_ASTERISK),
    Textarea: Textarea.extend(NO_ASTERISK),
    Badge: Badge.extend(WHOLE_BADGE),
  },
});
