// Copies the WOFF2 files the site uses, and their licences, from the npm packages into static/fonts/.
// Run after `npm ci` when package.json changes a font version: `npm run fonts`.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "fonts");
const files = [
  ["@fontsource/newsreader", "files/newsreader-latin-600-normal.woff2", "newsreader-latin-600-normal.woff2"],
  ["@fontsource/newsreader", "LICENSE", "OFL-Newsreader.txt"],
  ["@fontsource-variable/public-sans", "files/public-sans-latin-wght-normal.woff2", "public-sans-latin-wght-normal.woff2"],
  ["@fontsource-variable/public-sans", "LICENSE", "OFL-PublicSans.txt"],
];
mkdirSync(out, { recursive: true });
for (const [pkg, from, to] of files) {
  copyFileSync(join(root, "node_modules", pkg, from), join(out, to));
  console.log(`${pkg}/${from} -> static/fonts/${to}`);
}
