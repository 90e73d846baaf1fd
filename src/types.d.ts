declare module '*.yaml' {
  const text: string;
  export default text;
}

/** Tests read a file's text through Vite's `?raw` suffix (wrangler.toml, to check it against the code's defaults). */
declare module '*?raw' {
  const text: string;
  export default text;
}
