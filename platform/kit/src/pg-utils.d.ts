// pg's own parameter serialisation (how it binds a statement's values), for the statements the kit
// sends ahead of another in one exchange (prepared-statements.ts). pg exports lib/* but types none.
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
