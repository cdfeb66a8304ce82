import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration, writePost } from './helpers.mjs';

// The editor made with `server user add` by the Makefile before the server starts. These
// tests write their own posts, so the sample post other specs read stays as it is.
const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };
const ADMIN = { username: 'quantri', password: process.env.E2E_ADMIN_PASSWORD };

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('an official writes a post in place, formats it, publishes it, edits it again; citizens see each change', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Lịch tiếp công dân tháng 12', 'Chủ tịch xã tiếp công dân vào thứ Năm.');
  await expect(page.getByTestId('edit-stage')).toHaveText('Bản nháp');
  // Each region says what it is for, even when empty.
  await expect(page.getByTestId('label-title')).toHaveText('Tiêu đề');
  await expect(page.getByTestId('label-lead')).toContainText('Tóm tắt');
  await expect(page.getByTestId('label-body')).toHaveText('Nội dung');
  await expect(page.getByRole('textbox', { name: 'Nội dung', exact: true })).toBeVisible();
  // A draft: saving changes nothing citizens see, so no warning.
  await expect(page.getByTestId('editor-live')).toHaveCount(0);
  expect(await axe(page)).toEqual([]);

  // Formatting from the toolbar and the keyboard, like a word processor.
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Tiêu đề mục' }).click();
  await page.keyboard.type('Địa điểm');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Tại trụ sở, ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('phòng tiếp dân');
  await page.keyboard.press('Control+b');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu (phiên bản 2)');

  const citizen = await browser.newPage();
  expect((await citizen.goto(path)).status()).toBe(404);

  await page.goto(path);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Đăng bài viết' }).click();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  await expect(page.getByTestId('editor')).toHaveCount(0);

  await citizen.goto(path);
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Lịch tiếp công dân tháng 12');
  await expect(citizen.locator('.post__body h2')).toHaveText('Địa điểm');
  await expect(citizen.locator('.post__body b, .post__body strong')).toHaveText('phòng tiếp dân');

  // Clicking the published title turns the page into the editor, in place.
  await waitForHydration(page);
  await page.locator('.post__title').click();
  const title = page.getByTestId('edit-title');
  await expect(title).toBeVisible();
  // Published: a save goes live at once, and the editor says so before it happens.
  await expect(page.getByTestId('editor-live')).toHaveText('Bài đang đăng: lưu là cập nhật ngay cho người đọc.');
  await title.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Lịch tiếp công dân tháng 12 (đã bổ sung)');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu (phiên bản 3)');
  // "Xong" closes the editor: the post as citizens now see it.
  await page.getByTestId('done').click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByTestId('editor')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lịch tiếp công dân tháng 12 (đã bổ sung)');

  await citizen.reload();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Lịch tiếp công dân tháng 12 (đã bổ sung)');
  await citizen.close();
});

test('a paste from Word keeps headings, bold and lists and drops the Office markup', async ({ page }) => {
  await signIn(page, EDITOR);
  await writePost(page, 'Dán từ Word', 'Đoạn đầu.');
  const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0cm}</style></head>
<body lang=VI><!--StartFragment--><h1 class=MsoTitle>Quyết định</h1>
<p class=MsoNormal style='margin:0cm;font-family:"Times New Roman"'><b><span style='font-size:14.0pt'>Điều 1.</span></b> Ban hành quy chế<o:p></o:p></p>
<ul><li class=MsoListParagraph style='mso-list:l0 level1 lfo1'>Khoản một</li></ul>
<script>window.pasted = true</script><!--EndFragment--></body></html>`;
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await body.evaluate((el, html) => {
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Quyết định Điều 1. Ban hành quy chế Khoản một');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, word);
  await expect(body.locator('b')).toHaveText('Điều 1.');
  await expect(body.locator('li')).toHaveText('Khoản một');
  const html = await body.innerHTML();
  for (const junk of ['Mso', 'style=', 'class=', 'o:p', '<script', 'lang=']) {
    expect(html, junk).not.toContain(junk);
  }
  expect(await page.evaluate(() => window.pasted)).toBeUndefined();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');
});

test('two officials edit the same post: the second save is refused, shows both versions and keeps the text', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Thông báo cắt điện', 'Bản đầu tiên.');

  const other = await browser.newContext();
  const admin = await other.newPage();
  await signIn(admin, ADMIN);
  await admin.goto(`${path}?sua=1`);
  await waitForHydration(admin);
  await expect(admin.getByTestId('edit-body')).toBeVisible();

  // The admin saves first.
  await admin.getByTestId('edit-title').click();
  await admin.keyboard.press('Control+a');
  await admin.keyboard.type('Thông báo cắt điện (bản của quản trị)');
  await admin.keyboard.press('Control+s');
  await expect(admin.getByTestId('editor-status')).toContainText('Đã lưu');

  // The editor, still on the version they opened, saves over it.
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Lời của biên tập viên.');
  await page.keyboard.press('Control+s');
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('quantri');
  await expect(page.getByTestId('conflict-theirs')).toContainText('Thông báo cắt điện (bản của quản trị)');
  await expect(body).toContainText('Lời của biên tập viên.');
  await expect(page.getByTestId('editor-status')).toContainText('Chưa lưu');

  await page.getByTestId('overwrite').click();
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');
  await admin.goto(path);
  await expect(admin.locator('.post__body')).toContainText('Lời của biên tập viên.');
  await other.close();
});

test('the network fails during an edit; after a reload the unsaved text is offered back', async ({ page, context }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Họp dân thôn Đông', 'Đoạn đã lưu.');
  await context.setOffline(true);
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Đoạn viết khi mất mạng.');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Chưa lưu');
  await expect(body).toContainText('Đoạn viết khi mất mạng.');

  await context.setOffline(false);
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(path);
  await waitForHydration(page);
  const offer = page.getByTestId('local-copy');
  await expect(offer).toBeVisible();
  await expect(page.getByTestId('edit-body')).not.toContainText('Đoạn viết khi mất mạng.');
  await page.getByTestId('restore-local').click();
  await expect(page.getByTestId('edit-body')).toContainText('Đoạn viết khi mất mạng.');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');
  await page.goto(path);
  await expect(page.locator('.post__body')).toContainText('Đoạn viết khi mất mạng.');
  await expect(page.getByTestId('local-copy')).toHaveCount(0);
});

test('leaving the editor by a link with unsaved text asks first; the text is kept either way', async ({ page }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Lịch tiêm chủng tháng 12', 'Đoạn đã lưu.');
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Câu vừa gõ, chưa lưu.');

  // At once (well within the 2 s between the old copies): the menu's home link.
  const questions = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); dialog.dismiss(); });
  const home = page.getByRole('navigation', { name: 'Danh mục chính' }).getByRole('link', { name: 'Trang chủ' });
  await home.click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('thay đổi chưa lưu');
  // Stayed: same page, the text still in the editor.
  await expect(page).toHaveURL(new RegExp(`${path}\\?sua=1$`));
  await expect(body).toContainText('Câu vừa gõ, chưa lưu.');

  // The search in the header asks too.
  page.once('dialog', (dialog) => { questions.push(dialog.message()); dialog.dismiss(); });
  await page.locator('#o-tim-kiem').fill('tiêm chủng');
  await page.locator('#o-tim-kiem').press('Enter');
  await expect.poll(() => questions.length).toBe(2);
  await expect(page).toHaveURL(new RegExp(`${path}\\?sua=1$`));

  // Leaving anyway: the text waits in the browser and is offered back.
  page.once('dialog', (dialog) => dialog.accept());
  await home.click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto(path);
  await waitForHydration(page);
  await expect(page.getByTestId('local-copy')).toBeVisible();
  await page.getByTestId('restore-local').click();
  await expect(page.getByTestId('edit-body')).toContainText('Câu vừa gõ, chưa lưu.');
  // Once saved, leaving asks nothing.
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');
  page.once('dialog', (dialog) => { questions.push(dialog.message()); dialog.dismiss(); });
  await home.click();
  await expect(page).toHaveURL(/\/$/);
  expect(questions.length).toBe(2);
});

test('an old version is compared with the current one and restored', async ({ page }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Kết quả bầu trưởng thôn', 'Bản đầu.');
  await page.getByTestId('edit-title').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Kết quả bầu trưởng thôn (sửa nhầm)');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu (phiên bản 2)');

  await page.getByTestId('history-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lịch sử các phiên bản');
  await waitForHydration(page);
  await expect(page.getByTestId('revision')).toHaveCount(2);
  // Who saved it, by the name the portal shows, not the user name.
  await expect(page.getByTestId('revision').first()).toContainText('Trần Thị Biên');
  await expect(page.getByTestId('diff').locator('del')).toContainText('Tiêu đề: Kết quả bầu trưởng thôn');
  await expect(page.getByTestId('diff').locator('ins')).toContainText('(sửa nhầm)');
  expect(await axe(page)).toEqual([]);

  await page.getByTestId('restore-1').click();
  await expect(page.getByTestId('revision')).toHaveCount(3);
  await expect(page.locator('[data-test=revision][data-version="3"]')).toContainText('Khôi phục phiên bản 1');
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kết quả bầu trưởng thôn');
});

test('an official attaches the full text as a PDF; citizens get it from a link that says what it is', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  const path = await writePost(page, 'Kế hoạch phòng chống lụt bão năm 2026', 'Toàn văn kế hoạch:');
  const body = page.getByTestId('edit-body');
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' ');
  page.once('dialog', (dialog) => dialog.accept('Toàn văn kế hoạch phòng chống lụt bão'));
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await page.getByTestId('attach-input').setInputFiles({ name: 'KH phong chong lut bao.pdf', mimeType: 'application/pdf', buffer: pdf });
  const link = body.getByRole('link', { name: 'Toàn văn kế hoạch phòng chống lụt bão' });
  await expect(link).toBeVisible();
  await expect(body).toContainText('(PDF, 1 KB)');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');

  // A featured image, with its description for readers who cannot see it.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.getByTestId('edit-image-file').setInputFiles({ name: 'de-dieu.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('edit-image')).toBeVisible();
  await page.getByTestId('edit-image-alt').fill('Đê sông Luộc đoạn qua xã');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor-status')).toContainText('Đã lưu');

  // A file that is not what its name says is refused, and the text stays as it was.
  await page.getByTestId('attach-input').setInputFiles({ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
  await expect(page.getByTestId('editor-status')).toContainText('không phải PDF');

  await page.goto(path);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Đăng bài viết' }).click();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  const citizen = await browser.newPage();
  await citizen.goto(path);
  await expect(citizen.locator('.post__image img')).toHaveAttribute('alt', 'Đê sông Luộc đoạn qua xã');
  const href = await citizen.getByRole('link', { name: 'Toàn văn kế hoạch phòng chống lụt bão' }).getAttribute('href');
  const file = await citizen.request.get(href);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('application/pdf');
  expect((await file.body()).toString()).toBe(pdf.toString());
  await citizen.close();
});

test('an admin changes the slogan in place; citizens see the new one', async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await page.getByTestId('edit-slogan').click();
  const input = page.getByRole('textbox', { name: 'Khẩu hiệu' });
  // The keyboard goes into the form, and back to the button when it closes.
  await expect(input).toBeFocused();
  await page.getByRole('button', { name: 'Hủy' }).click();
  await expect(page.getByTestId('edit-slogan')).toBeFocused();
  await page.getByTestId('edit-slogan').click();
  const old = await input.inputValue();
  await input.fill('');
  await page.getByRole('button', { name: 'Lưu khẩu hiệu' }).click();
  await expect(page.getByTestId('slogan-form')).toBeVisible();
  await input.fill('CHÀO MỪNG NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC');
  await page.getByRole('button', { name: 'Lưu khẩu hiệu' }).click();
  await expect(page.getByTestId('slogan')).toHaveText('CHÀO MỪNG NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC');

  const citizen = await browser.newPage();
  await citizen.goto('/');
  await expect(citizen.getByTestId('slogan')).toHaveText('CHÀO MỪNG NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC');
  await expect(citizen.getByTestId('edit-slogan')).toHaveCount(0);

  // Put it back for the other tests.
  await waitForHydration(page);
  await page.getByTestId('edit-slogan').click();
  await page.getByRole('textbox', { name: 'Khẩu hiệu' }).fill(old);
  await page.getByRole('button', { name: 'Lưu khẩu hiệu' }).click();
  await expect(page.getByTestId('slogan')).toHaveText(old);
  await citizen.close();
});
