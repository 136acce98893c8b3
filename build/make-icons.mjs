/**
 * Draws the app icon (a sun over an open ledger, 账 in the middle) as SVG, renders it with the system Chromium at each
 * size Windows and Linux want, and writes build/icon.png (512×512), build/icons/<n>x<n>.png (Linux) and
 * build/icon.ico (PNG-compressed entries 16–256, which Windows Vista and later read). Run once and commit the
 * output: node build/make-icons.mjs
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="100%" height="100%">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2f9e5b"/>
      <stop offset="1" stop-color="#1b6e3d"/>
    </linearGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="96" fill="url(#bg)"/>
  <g fill="#ffc53d">
    <circle cx="256" cy="170" r="74"/>
    ${Array.from({ length: 12 }, (_, i) => {
      const a = (i * Math.PI) / 6;
      const x1 = 256 + Math.cos(a) * 92, y1 = 170 + Math.sin(a) * 92;
      const x2 = 256 + Math.cos(a) * 122, y2 = 170 + Math.sin(a) * 122;
      return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#ffc53d" stroke-width="16" stroke-linecap="round"/>`;
    }).join('')}
  </g>
  <path d="M84 300 Q170 270 256 306 Q342 270 428 300 L428 440 Q342 410 256 446 Q170 410 84 440 Z" fill="#ffffff"/>
  <path d="M256 306 L256 446" stroke="#1b6e3d" stroke-width="8"/>
  <text x="256" y="188" text-anchor="middle" dominant-baseline="middle" font-family="Noto Sans CJK SC" font-weight="700" font-size="96" fill="#1b6e3d">账</text>
  <g stroke="#8fcfa5" stroke-width="10" stroke-linecap="round">
    <line x1="116" y1="338" x2="224" y2="330"/><line x1="116" y1="372" x2="224" y2="364"/><line x1="116" y1="406" x2="224" y2="398"/>
    <line x1="288" y1="330" x2="396" y2="338"/><line x1="288" y1="364" x2="396" y2="372"/><line x1="288" y1="398" x2="396" y2="406"/>
  </g>
</svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const render = async (size) => {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="100%" height="100%"', `width="${size}" height="${size}"`)}</body></html>`);
  await page.evaluate(() => document.fonts.ready);
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  return png;
};

fs.mkdirSync(path.join(here, 'icons'), { recursive: true });
fs.writeFileSync(path.join(here, 'icon.png'), await render(512));
fs.writeFileSync(path.join(here, 'icon.svg'), svg);
for (const n of [16, 32, 48, 64, 128, 256, 512]) fs.writeFileSync(path.join(here, 'icons', `${n}x${n}.png`), await render(n));

// ICO: a 6-byte header, a 16-byte directory entry per image, then the PNG data of each (width/height 0 means 256).
const sizes = [16, 24, 32, 48, 64, 128, 256];
const images = [];
for (const n of sizes) images.push(await render(n));
await browser.close();
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(sizes.length, 4);
let offset = 6 + 16 * sizes.length;
const entries = sizes.map((n, i) => {
  const e = Buffer.alloc(16);
  e.writeUInt8(n >= 256 ? 0 : n, 0);
  e.writeUInt8(n >= 256 ? 0 : n, 1);
  e.writeUInt8(0, 2);
  e.writeUInt8(0, 3);
  e.writeUInt16LE(1, 4);
  e.writeUInt16LE(32, 6);
  e.writeUInt32LE(images[i].length, 8);
  e.writeUInt32LE(offset, 12);
  offset += images[i].length;
  return e;
});
fs.writeFileSync(path.join(here, 'icon.ico'), Buffer.concat([header, ...entries, ...images]));
console.log('wrote build/icon.png, build/icon.svg, build/icons/*.png, build/icon.ico');
