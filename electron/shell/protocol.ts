import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { CSP } from './csp.ts';

/**
 * The renderer is served from its own origin, app://canteen, instead of file://: a file:// page may read any file
 * on the disk and shares its origin with every other local file. The handler serves only files below the built
 * renderer folder and refuses anything that tries to climb out of it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'canteen';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered before the app is ready: standard (so relative URLs and 'self' work) and secure (like https). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** True for URLs of our own origin (app://canteen/…), the only pages the window may show and IPC may come from. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export type Resolved = { ok: true; file: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file under `root`. The URL parser already folds literal `..` segments, so what is left to
 * refuse is what decoding reintroduces: encoded slashes and backslashes (`..%2f`, `..%5c`, an encoded absolute path),
 * NUL bytes and drive letters. Any `..` segment after decoding is refused outright rather than normalised away.
 */
export function resolveAppPath(root: string, url: string): Resolved {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 403, reason: 'bad url' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { ok: false, status: 403, reason: 'foreign origin' };
  // No file of ours has a slash or backslash in its name: an encoded one is an attempt to smuggle a separator.
  if (/%(2f|5c)/i.test(u.pathname)) return { ok: false, status: 403, reason: 'encoded separator' };
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 403, reason: 'bad encoding' };
  }
  if (rel.includes('\0')) return { ok: false, status: 403, reason: 'nul byte' };
  const segments = rel.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-z]:/i.test(s) || s.includes(':'))) return { ok: false, status: 403, reason: 'path traversal' };
  if (segments.length === 0) segments.push('index.html');
  const base = path.resolve(root);
  const file = path.join(base, ...segments);
  const relToRoot = path.relative(base, file);
  if (relToRoot.startsWith('..') || path.isAbsolute(relToRoot)) return { ok: false, status: 403, reason: 'path traversal' };
  return { ok: true, file };
}

/**
 * The handler for protocol.handle('app', …): GET and HEAD of files under `root`, each with the CSP header and
 * nosniff. A symlink inside the folder that points outside it is refused too (realpath must stay under the root).
 */
export function createAppProtocolHandler(root: string): (req: Request) => Promise<Response> {
  const headersFor = (contentType: string) => ({
    'content-type': contentType,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  const refuse = (status: number, text: string) => new Response(text, { status, headers: headersFor('text/plain; charset=utf-8') });
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'method not allowed');
    const r = resolveAppPath(root, req.url);
    if (!r.ok) return refuse(r.status, r.reason);
    try {
      const realRoot = await fs.realpath(root);
      const real = await fs.realpath(r.file);
      const relToRoot = path.relative(realRoot, real);
      if (relToRoot.startsWith('..') || path.isAbsolute(relToRoot)) return refuse(403, 'path traversal');
      const stat = await fs.stat(real);
      if (!stat.isFile()) return refuse(404, 'not found');
      const type = MIME[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
      const body = req.method === 'HEAD' ? null : await fs.readFile(real);
      return new Response(body, { status: 200, headers: headersFor(type) });
    } catch {
      return refuse(404, 'not found');
    }
  };
}

/** Installs the handler on the given protocol module (the default session's). */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(root));
}
