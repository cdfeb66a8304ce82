// `make bench`, phase 8: Lighthouse 12 in Debian's Chromium, mobile with its default
// throttling (simulated slow 4G, a 4x slower CPU), three runs of each page; the median of the
// performance score, with its Total Blocking Time, and the other three categories.
// Usage: node bench/lighthouse.mjs http://127.0.0.1:3109
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2];
const slug = 'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022';
const pages = [['home', '/'], ['post', `/bai-viet/${slug}`], ['documents', '/van-ban'], ['search', '/tim-kiem?q=papi']];
const RUNS = 3;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const [name, path] of pages) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { lhr } = await lighthouse(base + path, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      const audit = (id) => lhr.audits[id].numericValue;
      runs.push({
        performance: lhr.categories.performance.score,
        accessibility: lhr.categories.accessibility.score,
        practices: lhr.categories['best-practices'].score,
        seo: lhr.categories.seo.score,
        tbt: audit('total-blocking-time'),
        fcp: audit('first-contentful-paint'),
        lcp: audit('largest-contentful-paint'),
        tti: audit('interactive'),
      });
    }
    const m = (key) => median(runs.map((r) => r[key]));
    const ms = (key) => `${Math.round(m(key))} ms`;
    console.log(`  ${name.padEnd(10)} performance ${m('performance').toFixed(2)} (runs ${runs.map((r) => r.performance.toFixed(2)).join(', ')}), `
      + `TBT ${ms('tbt')}, FCP ${ms('fcp')}, LCP ${ms('lcp')}, TTI ${ms('tti')}; `
      + `accessibility ${m('accessibility').toFixed(2)}, best practices ${m('practices').toFixed(2)}, SEO ${m('seo').toFixed(2)}`);
  }
} finally {
  await chrome.kill();
}
