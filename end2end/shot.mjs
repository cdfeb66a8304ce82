import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'] });
for (const [w, h, name] of [[1280, 800, 'desk'], [390, 844, 'phone']]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  await page.goto('http://127.0.0.1:3130/dang-nhap');
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('Tên đăng nhập').fill('quantri');
  await page.getByLabel('Mật khẩu').fill('matkhau-quantri-123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/$/);
  await page.goto('http://127.0.0.1:3130/quan-tri/thong-ke?ngay=90');
  await page.waitForSelector('body[data-hydrated]');
  await page.screenshot({ path: `/tmp/shot/${name}.png`, fullPage: true });
  await page.close();
}
await browser.close();
