/**
 * `npm run bench:bundle` — what the app's pages and preload weigh, gzip-compressed (level 9):
 * (1) the main window: the JS and CSS its index.html loads (entry script, module preloads,
 *     stylesheets), against the target of 450 KB;
 * (2) the end user's reset page (reset.html), which the backend serves to the public;
 * (3) the sandboxed preload, which must carry no schemas (no zod) and need nothing but
 *     `electron`.
 * Chunks that no page loads at start (dynamic imports) are listed apart. It runs the
 * production build first (`--no-build` reads out/ as it is). Last line: one JSON object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'electron-vite';

const { values } = parseArgs({
  options: { build: { type: 'boolean', default: true } },
  allowNegative: true,
});
const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'out');
const RENDERER = path.join(OUT, 'renderer');
const PRELOAD = path.join(OUT, 'preload', 'index.cjs');
const MAIN_WINDOW_TARGET = 450_000;
/** Markers of zod's runtime in a bundle (its internal property and class names). */
const ZOD_MARKERS = /_zod\b|\$Zod[A-Z]/u;

interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

function sizeOf(file: string): FileSize {
  const content = readFileSync(file);
  return {
    file: path.relative(OUT, file).split(path.sep).join('/'),
    bytes: content.length,
    gzipBytes: gzipSync(content, { level: 9 }).length,
  };
}

/** The JS and CSS files a page loads at start, as its HTML names them. */
function pageFiles(html: string): string[] {
  const text = readFileSync(path.join(RENDERER, html), 'utf8');
  const refs = [
    ...text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gu),
    ...text.matchAll(/<link\b[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref="([^"]+)"/gu),
  ].map((match) => match[1] ?? '');
  return [...new Set(refs)].map((ref) => path.resolve(RENDERER, ref));
}

function page(html: string) {
  const files = pageFiles(html).map(sizeOf);
  const total = (key: 'bytes' | 'gzipBytes') => files.reduce((sum, f) => sum + f[key], 0);
  return { html, bytes: total('bytes'), gzipBytes: total('gzipBytes'), files };
}

function report(name: string, figures: { gzipBytes: number; files: FileSize[] }, target: string) {
  console.log(`${name}: ${kb(figures.gzipBytes)} gzip (${target})`);
  for (const file of figures.files)
    console.log(`  ${file.file}  ${kb(file.bytes)} → ${kb(file.gzipBytes)} gzip`);
}

if (values.build) {
  const started = performance.now();
  await build({ root: ROOT, logLevel: 'warn' });
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const mainWindow = page('index.html');
const resetPage = page('reset.html');
const loaded = new Set([...mainWindow.files, ...resetPage.files].map((f) => f.file));
const lazyChunks = readdirSync(path.join(RENDERER, 'assets'))
  .filter((name) => /\.(?:js|css)$/u.test(name))
  .map((name) => sizeOf(path.join(RENDERER, 'assets', name)))
  .filter((f) => !loaded.has(f.file));

const preloadCode = readFileSync(PRELOAD, 'utf8');
const preloadRequires = [
  ...new Set(
    [...preloadCode.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/gu)].map((m) => m[1]),
  ),
];
const preload = {
  ...sizeOf(PRELOAD),
  zod: ZOD_MARKERS.test(preloadCode),
  requires: preloadRequires,
};

const mainWindowMet = mainWindow.gzipBytes <= MAIN_WINDOW_TARGET;
const preloadMet = !preload.zod && preloadRequires.every((id) => id === 'electron');
report(
  'main window JS+CSS',
  mainWindow,
  `target ≤ ${kb(MAIN_WINDOW_TARGET)}: ${mainWindowMet ? 'met' : 'MISSED'}`,
);
report('reset page JS+CSS', resetPage, 'no target; served to end users');
console.log(
  `preload: ${kb(preload.bytes)}, ${kb(preload.gzipBytes)} gzip; zod ${preload.zod ? 'BUNDLED' : 'absent'}; ` +
    `requires ${preloadRequires.join(', ') || 'nothing'} (target: no schemas, only electron: ${
      preloadMet ? 'met' : 'MISSED'
    })`,
);
if (lazyChunks.length > 0) {
  const gzipBytes = lazyChunks.reduce((sum, f) => sum + f.gzipBytes, 0);
  report('loaded later (dynamic imports)', { gzipBytes, files: lazyChunks }, 'not counted above');
}

console.log(
  JSON.stringify({
    built: values.build,
    mainWindow: { ...mainWindow, targetGzipBytes: MAIN_WINDOW_TARGET, met: mainWindowMet },
    resetPage,
    preload: { ...preload, met: preloadMet },
    lazyChunks,
  }),
);
