// The citizens' weight budget, shared by the browser test and `make bench`.

// Bytes of script and wasm (brotli, as sent) a citizen's page fetches until it is interactive.
// Issue 16 asks for at most 150 KB (153,600 B). Splitting the officials' code out brought the
// citizens' part from 653,164 B to 434,941 B (437,626 B with the walkthrough fixes, 435,643 B
// once the home page's blocks and the contact details were made as HTML on the server, 438,231 B
// with the officials' statistics route); this budget holds that, so that it only shrinks. Lower
// it as the wasm shrinks. The split is not stable to a few KB: a fresh clone's build of
// 435,643 B came to 437,109 B (the wasm differs in order, and brotli with it), and the build
// without the statistics route had a main wasm 4,044 B larger than the one with it (430,549 B
// against 426,505 B), hence the margin. Hỏi đáp (its one lazy chunk's route entries, the
// officials' counts of questions, a document's comments and an answer's asker) brought it to
// 440,645 B in one build and 442,456 B in the next with no change to the citizens' code.
// The reading pages (home, posts, categories, static pages, search, the site map, the documents)
// were then made on the server, their content rendered to HTML there, so that none of their
// components is in the wasm: 343,388 B. The editors' loaders moved into their chunks with the
// data they load (313 KB of main wasm from 331 KB), and the weather widget and the footer made
// on the server, the slogan's form in a chunk: 296,689 B. The video widget made on the server
// too, and a page's head tags as one list of one view type: 288,254 B. Then Leptos' islands: a
// citizen's reading page brings to life only its islands (text size, slogan, clip) and follows
// links in place by itself (`app/src/reading_pages.js`); the whole app, officials' code and all,
// is one lazily loaded chunk that only the other pages fetch: 136,224 B. This is the issue's
// 150 KB, in round bytes.
export const BUDGET = 150_000;

// The files of the citizens' part: the main wasm and its two scripts. The other file in /pkg/ is
// the whole app's chunk (officials' code among it).
export const citizensFiles = /\/pkg\/(portal(\.[\w-]+)?\.(js|wasm)|__wasm_split(\.[\w-]+)?\.js)$/;
