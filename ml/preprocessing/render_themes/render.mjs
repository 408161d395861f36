// Render a JSON Resume document (read from stdin) to HTML (written to stdout) with one installed theme.
// Usage: node render.mjs THEME < resume.json > resume.html   (THEME: "even" or "jsonresume-theme-even")

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const name = process.argv[2];
if (!name) {
  console.error("usage: node render.mjs THEME < resume.json");
  process.exit(2);
}
const pkg = name.startsWith("jsonresume-theme-") ? name : `jsonresume-theme-${name}`;
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const resume = JSON.parse(Buffer.concat(chunks).toString("utf8"));
let mod;
try {
  mod = await import(pkg); // ESM resolution: honours "exports" (even's CJS build is broken)
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes(pkg)) throw error;
  console.error(`theme ${pkg} is not installed (run scripts/setup_render.sh)`);
  process.exit(3);
}
const render = mod.render ?? mod.default?.render;
if (typeof render !== "function") {
  console.error(`theme ${pkg} exports no render()`);
  process.exit(4);
}
const html = await render(resume);
if (typeof html !== "string" || !html.trim()) {
  console.error(`theme ${pkg} rendered nothing`);
  process.exit(5);
}
// Themes that link Bootstrap 3 from a CDN get the pinned local copy instead: rendering needs no network.
const bootstrap = pathToFileURL(createRequire(import.meta.url).resolve("bootstrap/dist/css/bootstrap.min.css")).href;
const offline = html.replace(/https?:\/\/[^"'\s>]*\/bootstrap\/3\.[0-9.]+\/css\/bootstrap(\.min)?\.css/g, bootstrap);
process.stdout.write(offline);
