import { chromium } from '../../end2end/node_modules/playwright-core/index.mjs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'] });
const page = await browser.newPage();
const got = [];
page.on('response', async (r) => { got.push(r.url()); });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const B = 'http://127.0.0.1:3200';
await page.goto(B + '/');
await page.waitForTimeout(1500);
console.log('home loaded', got.filter(u => u.includes('/pkg/')));
// text size island
await page.click('text=A+');
console.log('text size attr', await page.evaluate(() => document.documentElement.getAttribute('data-text-size')));
// islands router navigation
await page.evaluate(() => { window.__marker = 1; });
await page.click('text=Bài một');
await page.waitForSelector('[data-test=post]');
console.log('after nav: url', page.url(), 'title', await page.title(), 'same document', await page.evaluate(() => window.__marker === 1));
console.log('pkg after nav', got.filter(u => u.includes('/pkg/')));
await page.goBack();
await page.waitForTimeout(500);
console.log('back: url', page.url(), 'title', await page.title(), 'same doc', await page.evaluate(() => window.__marker === 1));
// official post tools
got.length = 0;
await page.goto(B + '/bai-viet/mot?official=1');
await page.waitForTimeout(1500);
await page.click('[data-test=edit]');
console.log('editing shown', await page.locator('[data-test=editing]').count(), got.filter(u => u.includes('/pkg/')));
// admin
got.length = 0;
await page.goto(B + '/quan-tri');
await page.waitForTimeout(1500);
await page.click('[data-test=count]');
await page.click('[data-test=count]');
console.log('count', await page.textContent('[data-test=count]'), 'fresh', await page.textContent('[data-test=fresh]'));
await page.fill('input[name=name]', 'Một');
await page.click('text=Thêm');
await page.waitForTimeout(800);
console.log('after add: url', page.url(), 'fresh', await page.textContent('[data-test=fresh]'), got.filter(u => u.includes('/pkg/') || u.includes('/api/')));
await browser.close();
