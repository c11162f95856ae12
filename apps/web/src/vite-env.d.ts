/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The mock PG's base URL (e.g. http://127.0.0.1:39083); default: port 9083 on the page's host. */
  readonly VITE_PG_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
