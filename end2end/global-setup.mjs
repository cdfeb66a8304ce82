// `cargo leptos end-to-end` starts the server and the tests at the same time: wait for it.
const baseURL = process.env.PORTAL_URL || 'http://127.0.0.1:3000';

export default async function globalSetup() {
  const deadline = Date.now() + 120_000;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseURL}/favicon.svg`);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the portal did not answer at ${baseURL} within 120 s (${last})`);
}
