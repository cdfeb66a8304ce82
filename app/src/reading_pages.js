// A citizen's light page (`routes::PAGES`): the server sent it whole, and only
// its few interactive parts (Leptos islands) need the wasm.
//
// 1. Once the page has loaded and the browser is idle (or after 2 s at most), load the wasm and
//    bring each island to life, in the page's order. No preload hint: on a slow phone network
//    nothing competes with the page for the first seconds.
// 2. Follow links and GET forms between reading pages in place: fetch the next page, put its
//    content, menu and head tags in, keep the rest (the slogan keeps scrolling, the text size
//    and the clip stay). Any other page (an official's, a form that posts) loads as usual, and
//    so does a reading page when the fetch fails or the server answers with a page that is not
//    one. The fetch says what it is (`portal-navigation`), so that the server counts the
//    visit and the post's view as on a page load.
//
// Called with the script's and wasm's paths and the patterns of the light pages' paths and of
// the whole pages' (`routes::path_pattern`): a path is a light page's when the first matches
// and the second does not.
(js, wasm, light, whole) => {
  let mod;
  const hydrateIslands = async () => {
    for (const island of document.querySelectorAll('leptos-island')) {
      if (island.$$hydrated) continue;
      island.$$hydrated = true;
      const hydrate = mod[island.dataset.component];
      if (hydrate) await hydrate(island);
    }
  };
  const load = () =>
    import(js).then((m) =>
      m.default({ module_or_path: wasm }).then(() => {
        mod = m;
        m.hydrate();
        setTimeout(hydrateIslands, 0);
      }),
    );
  const idle = () =>
    'requestIdleCallback' in window ? requestIdleCallback(load, { timeout: 2000 }) : setTimeout(load, 50);
  document.readyState === 'complete' ? idle() : addEventListener('load', idle);

  // What swaps with the next page: its content and its menu (the current entry), and in the
  // head its title, description, address and the like.
  const PARTS = ['#noi-dung', '.main-menu__list'];
  const HEAD = 'title,link[rel=canonical],link[rel=alternate],link[rel^="schema."],meta[property],'
    + 'meta[name]:not([name=viewport]):not([name=theme-color])';
  const readingUrl = (url) => url.origin === location.origin && light.test(url.pathname) && !whole.test(url.pathname);
  let shown = location.pathname + location.search;
  let navigation = 0;
  // The element a '#…' names, if any (a malformed escape names none).
  const elementOf = (hash) => {
    let id = hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (_) {
      // As written.
    }
    return document.getElementById(id);
  };

  const go = async (url, push, scrollY) => {
    const current = ++navigation;
    const status = document.querySelector('p.routing');
    if (status) status.textContent = 'Đang tải trang…';
    let doc, address;
    try {
      const response = await fetch(url, { headers: { accept: 'text/html', 'portal-navigation': 'in-place' } });
      address = new URL(response.url);
      doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    } catch (_) {
      // The network failed: the browser tries itself, and says so if it cannot (unless the
      // reader has gone on to another page meanwhile).
      if (current === navigation) location.assign(url);
      return;
    }
    if (current !== navigation) return;
    if (!readingUrl(address) || !doc.getElementById('reading-pages')
      || PARTS.some((part) => !doc.querySelector(part) || !document.querySelector(part))) {
      location.assign(address);
      return;
    }
    address.hash = url.hash;
    clearTimeout(keep);
    if (push) {
      history.replaceState({ y: window.scrollY }, '');
      history.pushState(null, '', address);
    }
    for (const part of PARTS) document.querySelector(part).replaceWith(document.adoptNode(doc.querySelector(part)));
    for (const tag of document.head.querySelectorAll(HEAD)) tag.remove();
    for (const tag of doc.head.querySelectorAll(HEAD)) document.head.append(document.adoptNode(tag));
    document.querySelector('.main-menu__fold')?.removeAttribute('open');
    // The header's search box starts empty, as after a page load.
    const box = document.getElementById('o-tim-kiem');
    if (box) box.value = '';
    if (status) status.textContent = '';
    shown = location.pathname + location.search;
    const main = document.getElementById('noi-dung');
    const target = url.hash && elementOf(url.hash);
    if (target) target.scrollIntoView();
    else window.scrollTo(0, scrollY || 0);
    // The reader (and a screen reader) starts at the new content, as after a page load.
    main.focus({ preventScroll: true });
    if (mod) hydrateIslands();
  };

  // Where the reader is on this page, kept with its history entry for Back and Forward (a
  // moment after scrolling stops, and before another page takes its place).
  let keep;
  addEventListener('scroll', () => {
    clearTimeout(keep);
    keep = setTimeout(() => history.replaceState({ y: window.scrollY }, ''), 200);
  }, { passive: true });

  addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href);
    if (!readingUrl(url)) return;
    // A jump within this page (the skip link, a bare '#') is the browser's.
    if (link.href.includes('#') && url.pathname + url.search === shown) return;
    event.preventDefault();
    go(url, true);
  });

  addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method !== 'get') return;
    const url = new URL(form.action);
    if (!readingUrl(url)) return;
    url.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    event.preventDefault();
    go(url, true);
  });

  addEventListener('popstate', (event) => {
    clearTimeout(keep);
    const url = new URL(location.href);
    // A jump within the page (its address only differs after '#').
    if (url.pathname + url.search === shown) return;
    if (readingUrl(url)) go(url, false, event.state && event.state.y);
    else location.reload();
  });
}
