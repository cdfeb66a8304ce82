import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration } from './helpers.mjs';

const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };
const ADMIN = { username: 'quantri', password: process.env.E2E_ADMIN_PASSWORD };
const WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** axe on `path` in a browser with JavaScript (axe runs as a script in the page). */
async function axeAt(browser, path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(path);
  await waitForHydration(page);
  const found = await axe(page);
  await context.close();
  return found;
}

/** Answers the form's sum, read from its label as a person would. */
async function solve(page) {
  const label = await page.locator('label[for="tra-loi-kiem-tra"]').innerText();
  const [, a, b] = label.toLowerCase().match(/kiểm tra: (\S+) cộng (\S+) bằng mấy/);
  await page.getByLabel(/Câu hỏi kiểm tra/).fill(String(WORDS.indexOf(a) + WORDS.indexOf(b)));
}

test('a citizen asks without JavaScript, an editor answers and publishes, the citizen reads the answer by the code and finds it by search', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const citizen = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } })).newPage();
  await citizen.goto('/hoi-dap');
  await citizen.getByTestId('ask').click();
  await expect(citizen).toHaveURL(/\/hoi-dap\/gui-cau-hoi$/);
  expect(await axeAt(browser, '/hoi-dap/gui-cau-hoi')).toEqual([]);
  const opened = Date.now();
  await citizen.getByLabel('Họ và tên').fill('Phạm Thị Hoa');
  await citizen.getByLabel(/Số điện thoại hoặc thư điện tử/).fill('0912 345 678');
  await citizen.getByLabel(/Thôn, xóm/).fill('Thôn Bắc');
  await citizen.getByLabel('Lĩnh vực').selectOption({ label: 'Hộ tịch – Chứng thực' });
  await citizen.getByLabel(/Tiêu đề câu hỏi/).fill('Đăng ký khai sinh cho con khi bố mẹ đi làm xa');
  await citizen.getByLabel(/Nội dung câu hỏi/).fill('Vợ chồng tôi làm việc ở tỉnh khác.\nCó thể nhờ ông bà đăng ký khai sinh cho cháu không?');
  // A wrong sum is refused with its reason, and nothing typed is lost.
  await citizen.getByLabel(/Câu hỏi kiểm tra/).fill('99');
  await citizen.waitForTimeout(Math.max(0, 5_500 - (Date.now() - opened)));
  await citizen.getByTestId('send-question').click();
  await expect(citizen.getByTestId('form-error')).toContainText('Câu trả lời kiểm tra chưa đúng');
  await expect(citizen.getByLabel(/Tiêu đề câu hỏi/)).toHaveValue('Đăng ký khai sinh cho con khi bố mẹ đi làm xa');
  await expect(citizen.getByLabel(/Nội dung câu hỏi/)).toHaveValue(/nhờ ông bà đăng ký khai sinh/);
  await solve(citizen);
  await citizen.waitForTimeout(5_500);
  await citizen.getByTestId('send-question').click();
  await expect(citizen).toHaveURL(/\/hoi-dap\/tra-cuu\?ma=/);
  const code = (await citizen.getByTestId('tracking-code').innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  await expect(citizen.getByTestId('status')).toHaveText('Đã tiếp nhận');
  expect(await axeAt(browser, new URL(citizen.url()).pathname + new URL(citizen.url()).search)).toEqual([]);

  // The editor sees it counted in the bar, opens it, writes the answer in place and publishes.
  await signIn(page, EDITOR);
  await expect(page.getByTestId('bar-questions')).toContainText('1 mới');
  await page.getByTestId('bar-questions').click();
  await expect(page).toHaveURL(/\/quan-tri\/hoi-dap$/);
  await expect(page.getByTestId('queue-row')).toContainText('Đăng ký khai sinh cho con');
  await expect(page.getByTestId('days-left')).toContainText('Còn 15 ngày làm việc');
  expect(await axe(page)).toEqual([]);
  await page.getByRole('link', { name: 'Đăng ký khai sinh cho con khi bố mẹ đi làm xa' }).click();
  await expect(page).toHaveURL(/\/quan-tri\/hoi-dap\/\d+$/);
  await expect(page.getByTestId('question')).toContainText('0912 345 678');
  expect(await axe(page)).toEqual([]);
  await page.getByLabel('Tên người hỏi khi đăng').fill('Chị P.T.H. (thôn Bắc)');
  await page.getByRole('button', { name: 'Lưu tên hiển thị' }).click();
  await expect(page.getByTestId('form-ok')).toContainText('Đã lưu tên người hỏi');
  await page.getByTestId('write-answer').click();
  await expect(page).toHaveURL(/\/bai-viet\/[a-z0-9-]+\?sua=1$/);
  await waitForHydration(page);
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.type('Ông bà có thể đi đăng ký khai sinh cho cháu nếu mang theo giấy chứng sinh và văn bản ủy quyền của cha mẹ.');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');
  const postPath = new URL(page.url()).pathname;
  await page.goto('/quan-tri/hoi-dap');
  await page.getByRole('link', { name: 'Đăng ký khai sinh cho con khi bố mẹ đi làm xa' }).click();
  await page.getByTestId('publish-answer').click();
  await expect(page.getByTestId('form-ok')).toContainText('Đã trả lời và đăng');

  // The citizen, still without JavaScript, reads the answer through the code.
  await citizen.goto('/hoi-dap/tra-cuu');
  await citizen.getByLabel('Mã tra cứu').fill(code.toLowerCase());
  await citizen.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(citizen.getByTestId('status')).toHaveText('Đã đăng');
  await expect(citizen.getByTestId('answer')).toContainText('văn bản ủy quyền của cha mẹ');
  expect(await axeAt(browser, `/hoi-dap/tra-cuu?ma=${code}`)).toEqual([]);
  // It is found by the portal's search and by Hỏi đáp's own, without marks typed.
  await citizen.goto('/tim-kiem?q=uy+quyen+khai+sinh');
  await expect(citizen.locator(`a[href="${postPath}"]`).first()).toBeVisible();
  await citizen.goto('/hoi-dap');
  await citizen.getByLabel('Tìm trong hỏi đáp').fill('khai sinh');
  await citizen.getByRole('button', { name: 'Lọc' }).click();
  await expect(citizen.getByTestId('qa-list')).toContainText('Đăng ký khai sinh cho con');
  await expect(citizen.getByTestId('qa-list')).toContainText('Chị P.T.H. (thôn Bắc)');
  await expect(citizen.locator('body')).not.toContainText('Phạm Thị Hoa');
  expect(await axeAt(browser, '/hoi-dap?q=khai+sinh')).toEqual([]);
  await citizen.goto(postPath);
  await expect(citizen.getByTestId('qa-asker')).toContainText('Chị P.T.H. (thôn Bắc)');
});

test('a draft takes citizens\' comments, which officials read; the new pages pass axe with JavaScript', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN);
  await page.goto('/van-ban/2');
  await waitForHydration(page);
  const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel(/Lấy ý kiến góp ý đến hết ngày/).fill(until);
  await page.getByRole('button', { name: 'Lưu thời hạn góp ý' }).click();
  await expect(page.getByTestId('draft-comments')).toContainText('đang được lấy ý kiến');
  expect(await axe(page)).toEqual([]);

  const citizen = await (await browser.newContext()).newPage();
  await citizen.goto('/van-ban/2');
  await waitForHydration(citizen);
  await citizen.getByTestId('comment-link').click();
  await expect(citizen).toHaveURL(/\/van-ban\/2\/gop-y$/);
  await waitForHydration(citizen);
  expect(await axe(citizen)).toEqual([]);
  await citizen.getByLabel('Họ và tên').fill('Đỗ Văn Nam');
  await citizen.getByLabel(/Thôn, xóm/).fill('Xóm 2');
  await citizen.getByLabel(/Nội dung góp ý/).fill('Đề nghị tổ chức thêm buổi tuyên truyền tại nhà văn hóa thôn.');
  // Sent too soon, with JavaScript on: refused with the reason, the text kept, still accessible.
  await solve(citizen);
  await citizen.getByTestId('send-comment').click();
  await expect(citizen.getByTestId('form-error')).toContainText('quá nhanh');
  await expect(citizen.getByLabel(/Nội dung góp ý/)).toHaveValue(/nhà văn hóa thôn/);
  await waitForHydration(citizen);
  expect(await axe(citizen)).toEqual([]);
  await solve(citizen);
  await citizen.waitForTimeout(5_500);
  await citizen.getByTestId('send-comment').click();
  await expect(citizen.getByTestId('comment-received')).toBeVisible();

  await page.goto('/van-ban/2');
  await page.getByTestId('comments-for-officials').click();
  await expect(page.getByTestId('comments')).toContainText('Đỗ Văn Nam');
  await expect(page.getByTestId('comments')).toContainText('nhà văn hóa thôn');
  expect(await axe(page)).toEqual([]);
  // The admin's holidays list is on the queue, accessible too.
  await page.goto('/quan-tri/hoi-dap');
  await waitForHydration(page);
  await expect(page.getByTestId('holidays')).toContainText('Quốc khánh');
  expect(await axe(page)).toEqual([]);
});
