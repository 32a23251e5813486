import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HttpResult, Route } from '../http/server.js';

/** Where the inspector's assets are served: `GET /_emulator/inspector/{name}`. */
export const INSPECTOR_ASSET_PREFIX = '/_emulator/inspector/';

/** The page's files: plain HTML, CSS and JavaScript, no build step. Only these are served. */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'inspector.css': 'text/css; charset=utf-8',
  'inspector.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * The page loads nothing from elsewhere and runs no inline script: it works offline, and a
 * body that slipped into the DOM as markup could not run.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The assets stay in `src/inspector/assets/` (tsc does not copy them): next to this module
 * when it runs from the sources, or two levels up from `dist/inspector/` in the package,
 * whose `files` ship `src` with `dist`.
 */
const ASSET_DIRS = ['./assets/', '../../src/inspector/assets/'].map((relative) => new URL(relative, import.meta.url));

const cache = new Map<string, Buffer>();

function readAsset(name: string): Buffer {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  for (const dir of ASSET_DIRS) {
    try {
      const content = readFileSync(fileURLToPath(new URL(name, dir)));
      cache.set(name, content);
      return content;
    } catch {
      // Not in this folder: try the next one.
    }
  }
  throw new Error(`inspector asset ${name} not found in ${ASSET_DIRS.map((dir) => fileURLToPath(dir)).join(' or ')}`);
}

/** One asset as an HTTP answer (undefined for a name that is not one of the page's files). */
export function inspectorAsset(name: string): HttpResult | undefined {
  const type = ASSETS[name];
  if (type === undefined) return undefined;
  return {
    status: 200,
    headers: {
      'Content-Type': type,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...(name === 'index.html' ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer' } : {}),
    },
    body: readAsset(name),
  };
}

const notFound = (path: string): HttpResult => ({
  status: 404,
  headers: { 'Content-Type': 'application/json' },
  body: Buffer.from(JSON.stringify({ error: { code: 'NotFound', message: `No inspector file at ${path}` } })),
});

/**
 * The live inspector: the page at `GET /` and its files under `/_emulator/inspector/`.
 * Mount with `...inspectorRoutes()` in the emulator's route list.
 */
export function inspectorRoutes(): Route[] {
  return [
    { method: 'GET', pattern: /^\/$/, handler: () => inspectorAsset('index.html') ?? notFound('/') },
    {
      method: 'GET',
      pattern: /^\/_emulator\/inspector\/(?<name>[^/]+)$/,
      handler: (req) => inspectorAsset(req.params['name'] ?? '') ?? notFound(req.path),
    },
  ];
}
