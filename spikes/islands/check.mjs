import { chromium } from '../../end2end/node_modules/playwright-core/index.mjs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'] });
const B = 'http://127.0.0.1:3200';
// citizen
{
  const page = await browser.newPage();
  const got = [];
  page.on('response', (r) => got.push(r.url()));
  page.on('pageerror', (e) => console.log('citizen pageerror:', e.message));
  await page.goto(B + '/');
  await page.waitForTimeout(1200);
  await page.click('text=A+');
  console.log('citizen text size', await page.evaluate(() => document.documentElement.getAttribute('data-text-size')));
  await page.evaluate(() => { window.__m = 1; });
  await page.click('text=Bài một');
  await page.waitForSelector('[data-test=post]');
  console.log('citizen nav same doc', await page.evaluate(() => window.__m === 1), await page.title());
  console.log('citizen pkg', got.filter((u) => u.includes('/pkg/')).map((u) => u.split('/').pop()));
  await page.close();
}
// official
{
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'official', value: '1', url: B }]);
  const page = await ctx.newPage();
  const got = [];
  page.on('response', (r) => got.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('official console:', m.text()); });
  page.on('pageerror', (e) => console.log('official pageerror:', e.message));
  await page.goto(B + '/quan-tri');
  await page.waitForTimeout(1500);
  await page.click('[data-test=count]');
  await page.click('[data-test=count]');
  console.log('official count', await page.textContent('[data-test=count]'), 'fresh', await page.textContent('[data-test=fresh]'));
  await page.fill('input[name=name]', 'Một');
  await page.click('text=Thêm');
  await page.waitForTimeout(800);
  console.log('after add', page.url(), 'fresh', await page.textContent('[data-test=fresh]'));
  await page.click('text=A+');
  console.log('official text size (nested island)', await page.evaluate(() => document.documentElement.getAttribute('data-text-size')));
  await page.evaluate(() => { window.__m = 1; });
  await page.goto(B + '/');
  await page.waitForTimeout(1200);
  await page.evaluate(() => { window.__m = 1; });
  await page.click('text=Bài một');
  await page.waitForSelector('[data-test=post]');
  console.log('official router nav same doc', await page.evaluate(() => window.__m === 1), page.url(), await page.title());
  await page.goto(B + '/bai-viet/mot?official=1');
  await page.waitForTimeout(1200);
  await page.click('[data-test=edit]');
  console.log('tools editing', await page.locator('[data-test=editing]').count());
  console.log('official pkg', [...new Set(got.filter((u) => u.includes('/pkg/')).map((u) => u.split('/').pop()))]);
  await ctx.close();
}
await browser.close();
