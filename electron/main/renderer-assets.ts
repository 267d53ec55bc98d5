import { readFile } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface RendererAsset {
  status: 200 | 404;
  contentType: string;
  body: Buffer;
}

/**
 * The file under `rootDir` a renderer URL points at, or null. Only the URL's path is used; it
 * is decoded once and must stay inside `rootDir` (no `..`, no absolute paths, no NUL).
 */
export function resolveAssetPath(rootDir: string, url: string): string | null {
  if (!URL.canParse(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/u, '');
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

export const NOT_FOUND_ASSET: RendererAsset = Object.freeze({
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: Buffer.from('Not found'),
});

/** Reads the asset a renderer URL names; unknown types, missing files and escapes are 404. */
export async function loadRendererAsset(rootDir: string, url: string): Promise<RendererAsset> {
  const file = resolveAssetPath(rootDir, url);
  const contentType = file === null ? undefined : CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (file === null || contentType === undefined) return NOT_FOUND_ASSET;
  try {
    return { status: 200, contentType, body: await readFile(file) };
  } catch {
    return NOT_FOUND_ASSET;
  }
}
