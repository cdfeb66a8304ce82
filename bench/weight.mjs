// `make bench`, phase 7: the script and wasm each citizens' page fetches until it is
// interactive, in bytes as sent (Chromium's encoded sizes), against the budget of the browser
// test (end2end/tests/weight.mjs).
// Usage: node bench/weight.mjs http://127.0.0.1:3109
import { chromium } from '../end2end/node_modules/playwright-core/index.mjs';
import { BUDGET, citizensFiles } from '../end2end/tests/weight.mjs';

const base = process.argv[2];
const slug = 'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022';
const pages = [['home', '/'], ['post', `/bai-viet/${slug}`], ['documents', '/van-ban'], ['search', '/tim-kiem?q=papi'], ['sign-in (officials)', '/dang-nhap']];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
});
for (const [name, path] of pages) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!/\.(js|wasm)$/.test(url.pathname)) return;
    fetched.push({ path: url.pathname, bytes: (await request.sizes()).responseBodySize });
  });
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
  await page.waitForTimeout(300);
  const sum = (files) => files.reduce((s, f) => s + f.bytes, 0);
  const own = fetched.filter((f) => citizensFiles.test(f.path));
  const officials = fetched.filter((f) => !citizensFiles.test(f.path));
  const wasm = sum(own.filter((f) => f.path.endsWith('.wasm')));
  console.log(`  ${name.padEnd(20)} ${String(sum(fetched)).padStart(8)} B (wasm ${wasm}, js ${sum(own) - wasm}, whole app's chunk ${sum(officials)} B in ${officials.length} files)`);
  await context.close();
}
console.log(`  budget: ${BUDGET} B per citizens' page (issue 16: at most 150 KB, aim 120 KB)`);
await browser.close();
