#!/usr/bin/env node
// Opens Legate's admin /dashboard in Debian's headless Chromium, waits until the downstream
// request-rate plot has a non-zero point, and saves a full-page screenshot.
//
//   node dashboard-test.js <dashboard url> <screenshot.png> [--dark <dark.png>] [--timeout <ms>]
//
// Exit codes: 0 ok, 1 the page failed the check, 2 bad usage, 3 Chromium or playwright-core missing.
'use strict';
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Keep Chromium off the network: this machine refuses outside connections, and the background
// services (updates, sync, safe browsing) would otherwise retry them for the whole run.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  '--metrics-recording-only', '--no-default-browser-check',
];

function usage(message) {
  console.error(message);
  console.error('usage: node dashboard-test.js <dashboard url> <screenshot.png> [--dark <dark.png>] [--timeout <ms>]');
  process.exit(2);
}

function parseArgs(argv) {
  const positional = [];
  const options = { timeout: 20000, dark: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dark') options.dark = argv[++i];
    else if (argv[i] === '--timeout') options.timeout = Number(argv[++i]);
    else positional.push(argv[i]);
  }
  if (positional.length !== 2) usage('expected a URL and a screenshot path');
  if (!/^https?:\/\//.test(positional[0])) usage('not an http URL: ' + positional[0]);
  if (!(options.timeout > 0)) usage('bad --timeout');
  return { url: positional[0], screenshot: path.resolve(positional[1]), ...options };
}

function loadPlaywright() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`missing Chromium at ${CHROMIUM}: run test/dashboard/install.sh (apt-get install chromium chromium-driver)`);
    process.exit(3);
  }
  try {
    return require('playwright-core');
  } catch (e) {
    console.error('missing playwright-core: run test/dashboard/install.sh (npm ci in test/dashboard): ' + e.message);
    process.exit(3);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    const page = await context.newPage();
    page.on('pageerror', e => problems.push('page error: ' + e.message));
    page.on('console', m => { if (m.type() === 'error') problems.push('console error: ' + m.text() + ' (' + m.location().url + ')'); });
    const response = await page.goto(args.url, { waitUntil: 'load', timeout: args.timeout });
    if (!response || response.status() !== 200) throw new Error('GET ' + args.url + ' answered ' + (response ? response.status() : 'nothing'));

    const chart = '[data-chart="downstream-rps"]';
    try {
      await page.waitForFunction(sel => {
        const fig = document.querySelector(sel);
        return fig && Number(fig.dataset.nonzero || 0) > 0 && fig.querySelector('svg path.line');
      }, chart, { timeout: args.timeout, polling: 200 });
    } catch (e) {
      const seen = await page.evaluate(sel => {
        const fig = document.querySelector(sel);
        return fig ? JSON.stringify(fig.dataset) : 'no ' + sel;
      }, chart).catch(() => '?');
      throw new Error('the request-rate plot never showed a non-zero point (' + seen + '): ' + e.message);
    }
    // The line must have several points, not just a move-to.
    const segments = await page.$eval(chart + ' svg path.line', p => (p.getAttribute('d').match(/L/g) || []).length);
    if (segments < 1) throw new Error('the request-rate line has no segments');
    const stats = await page.$eval(chart, f => ({ points: Number(f.dataset.points), nonzero: Number(f.dataset.nonzero) }));

    // Hovering the plot shows the values at that second; then move away so the screenshot is clean.
    const box = await page.$eval(chart + ' .plot', p => { const r = p.getBoundingClientRect(); return { x: r.right - 30, y: r.top + r.height / 2 }; });
    await page.mouse.move(box.x, box.y);
    await page.waitForSelector('#tip:not([hidden]) div.r', { timeout: 5000 });
    const tip = await page.$eval('#tip', t => t.innerText.replace(/\s+/g, ' ').trim());
    await page.mouse.move(0, 0);
    await page.waitForSelector('#tip[hidden]', { state: 'attached', timeout: 5000 });

    fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
    await page.screenshot({ path: args.screenshot, fullPage: true });
    if (args.dark) {
      await page.emulateMedia({ colorScheme: 'dark' });
      // The palette is CSS variables: one frame repaints it.
      await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => resolve())));
      fs.mkdirSync(path.dirname(path.resolve(args.dark)), { recursive: true });
      await page.screenshot({ path: path.resolve(args.dark), fullPage: true });
    }
    if (problems.length) throw new Error(problems.join('\n'));
    console.log(JSON.stringify({ ok: true, url: args.url, screenshot: args.screenshot, ...stats, segments, tip }));
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error('dashboard test failed: ' + (e && e.stack || e));
  process.exit(1);
});
