import { createTheme, NativeSelect, NumberInput, PasswordInput, TextInput } from '@mantine/core';

// System fonts that cover Hangul well on every platform, before the generic fallbacks.
const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Segoe UI", Roboto, sans-serif';

// Most fields are required, so only optional ones are marked ("Optional"). Without the asterisk a
// label's text is exactly its accessible name, which keeps `getByLabel('Email', { exact: true })` working.
const NO_ASTERISK = { defaultProps: { withAsterisk: false } };

export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: FONT_STACK,
  headings: { fontFamily: FONT_STACK },
  components: {
    TextInput: TextInput.extend(NO_ASTERISK),
    PasswordInput: PasswordInput.extend(NO_ASTERISK),
    NumberInput: NumberInput.extend(NO_ASTERISK),
    NativeSelect: NativeSelect.extend(NO_ASTERISK),
  },
});
