//! The crate's modules form a tree of needs, never a circle: no module of `app/src/` (pages,
//! components, api, the server code, the top-level files) needs one that needs it back,
//! directly or through others, and no room needs a room that needs it back. Rooms are the
//! top-level modules (`pages`, `components`, `api`, `model`, `server`, ...) and, inside the
//! server code, its domains (`server::content`, `server::documents`, ...). This reads the sources
//! (as a reviewer would) and fails naming every cycle. Beside it, no source file of `app/src` or
//! `server/src` is longer than [`MAX_LINES`].
//!
//! The crate root (`lib.rs`, the route table) and the server code's root (`server.rs`, the
//! portal's state) hold every module below them: what they name of their own descendants is
//! their containing them, not a need.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 700;

/// Every module file under `root`, by its path (`server::content::posts`), with its code up to
/// its tests (`super::` inside `mod tests` means the file itself) and without comments. The
/// crate root `lib.rs` is `crate`.
fn modules(root: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let module = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}::{name}")
            };
            if path.is_dir() {
                walk(&path, &module, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                let code = source
                    .split("#[cfg(test)]")
                    .next()
                    .unwrap()
                    .split("#[cfg(all(test")
                    .next()
                    .unwrap();
                let module = if module == "lib" {
                    "crate".into()
                } else {
                    module
                };
                out.insert(module, without_comments(code));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

/// `code` without its `//` comments (doc comments name paths that are not needs). A `//` after
/// `:` is a URL's, in a string: kept.
fn without_comments(code: &str) -> String {
    code.lines()
        .map(|line| {
            let cut = line
                .match_indices("//")
                .find(|(at, _)| !line[..*at].ends_with(':'))
                .map_or(line.len(), |(at, _)| at);
            &line[..cut]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a source names, each as written after its prefix: `crate::a::b`,
/// `super::a`, `self::a`, `child::x` for a declared child, with `{a, b::c}` groups expanded.
fn named_paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let own: Vec<String> = if module == "crate" {
        Vec::new()
    } else {
        module.split("::").map(str::to_string).collect()
    };
    let parent = own[..own.len().saturating_sub(1)].to_vec();
    // `mod x;`, `pub mod x;`, `pub(crate) mod x;`: not `mod tests { ... }`.
    let children: Vec<String> = code
        .lines()
        .filter_map(|l| l.trim().split_once("mod ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.strip_suffix(';'))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    let mut prefixes: Vec<(String, Vec<String>)> = vec![
        ("crate::".into(), vec![]),
        ("super::".into(), parent),
        ("self::".into(), own.clone()),
    ];
    for child in &children {
        let mut base = own.clone();
        base.push(child.clone());
        prefixes.push((format!("{child}::"), base));
    }
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for (prefix, base) in &prefixes {
        let mut from = 0;
        while let Some(found) = code[from..].find(prefix.as_str()) {
            let start = from + found;
            from = start + prefix.len();
            // Only a path's start: not the tail of `a::super::` or `my_child::`.
            if start > 0
                && (bytes[start - 1].is_ascii_alphanumeric() || b"_:".contains(&bytes[start - 1]))
            {
                continue;
            }
            let rest = &code[from..];
            for tail in expand(rest) {
                let mut path = base.clone();
                path.extend(tail);
                out.push(path);
            }
        }
    }
    out
}

/// The paths one `a::b::{c, d::e}` at the start of `rest` stands for (segments only).
fn expand(rest: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = rest;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut items = Vec::new();
            let mut depth = 0;
            let mut current = String::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(std::mem::take(&mut current));
                        continue;
                    }
                    _ => {}
                }
                current.push(c);
            }
            items.push(current);
            // A trailing comma leaves an empty item: it names nothing.
            return items
                .iter()
                .filter(|item| !item.trim().is_empty())
                .flat_map(|item| expand(item.trim()))
                .map(|tail| segments.iter().cloned().chain(tail).collect())
                .collect();
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            return vec![segments];
        }
        rest = &rest[name.len()..];
        segments.push(name);
        match rest.strip_prefix("::") {
            Some(more) => rest = more,
            None => return vec![segments],
        }
    }
}

/// One cycle through each group of modules that need each other (each strongly connected
/// component of more than one), the shortest from its first module; none if the needs form a
/// tree.
fn find_cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let next = |node: &str| edges.get(node).into_iter().flatten();
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(node) = todo.pop() {
            for n in next(&node) {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|node| (node, reach(node))).collect();
    let mut done = BTreeSet::new();
    let mut cycles = Vec::new();
    for (node, reached) in &reaches {
        if done.contains(*node) || !reached.contains(*node) {
            continue;
        }
        let group: BTreeSet<&String> = reached
            .iter()
            .filter(|other| reaches.get(other).is_some_and(|r| r.contains(*node)))
            .collect();
        done.extend(group.iter().map(|n| (*n).clone()));
        // The shortest way back to `node`, breadth first, inside its group.
        let mut came_from: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([(*node).clone()]);
        'search: while let Some(at) = queue.pop_front() {
            for n in next(&at) {
                if n == *node {
                    let mut cycle = vec![n.clone(), at.clone()];
                    let mut back = at.clone();
                    while let Some(prev) = came_from.get(&back) {
                        cycle.push(prev.clone());
                        back = prev.clone();
                    }
                    cycle.reverse();
                    cycles.push(cycle);
                    break 'search;
                }
                if group.contains(n) && !came_from.contains_key(n) && n != *node {
                    came_from.insert(n.clone(), at.clone());
                    queue.push_back(n.clone());
                }
            }
        }
    }
    cycles
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    find_cycles(edges).into_iter().next()
}

/// Modules whose files hold every module below them: what they name of those is containing
/// them (see the module's doc).
const ROOTS: &[&str] = &["crate", "server"];

/// The room of a module: its top-level module, or inside the server code its domain.
fn room(module: &str) -> String {
    let segments: Vec<&str> = module.split("::").collect();
    let depth = if segments[0] == "server" { 2 } else { 1 };
    segments[..depth.min(segments.len())].join("::")
}

/// Module and room dependencies of the sources under `root` (a crate's `src`).
fn graphs(
    root: &Path,
) -> (
    BTreeMap<String, BTreeSet<String>>,
    BTreeMap<String, BTreeSet<String>>,
) {
    let modules = modules(root);
    let mut by_module: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_room: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        for path in named_paths(module, code) {
            // The longest prefix of the path that is a module file.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|candidate| modules.contains_key(candidate));
            let Some(target) = target else { continue };
            if &target == module {
                continue;
            }
            let contained = ROOTS.contains(&module.as_str())
                && (module == "crate" || target.starts_with(&format!("{module}::")));
            if contained {
                continue;
            }
            by_module
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
            if room(module) != room(&target) {
                by_room
                    .entry(room(module))
                    .or_default()
                    .insert(room(&target));
            }
        }
    }
    (by_module, by_room)
}

#[test]
fn the_crate_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (modules, rooms) = graphs(&root);
    assert!(
        [
            "server::content::posts",
            "pages::post",
            "api::posts",
            "model"
        ]
        .iter()
        .all(|m| modules.contains_key(*m)),
        "the sources were read: {modules:?}"
    );
    let mut found = Vec::new();
    for cycle in find_cycles(&modules) {
        found.push(format!("modules need each other: {}", cycle.join(" -> ")));
    }
    for cycle in find_cycles(&rooms) {
        found.push(format!("rooms need each other: {}", cycle.join(" -> ")));
    }
    assert!(found.is_empty(), "app/src:\n{}", found.join("\n"));
}

/// Every `.rs` file under `dir`, with its lines counted.
fn line_counts(dir: &Path, out: &mut Vec<(PathBuf, usize)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            line_counts(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            out.push((path, lines));
        }
    }
}

#[test]
fn no_source_file_is_too_long() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for dir in ["app/src", "server/src"] {
        line_counts(&workspace.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the sources were read: {files:?}");
    let mut long: Vec<String> = files
        .iter()
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| {
            let path = path.strip_prefix(workspace).unwrap().display().to_string();
            (path, lines)
        })
        .map(|(path, lines)| format!("{path}: {lines} lines"))
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "split these by concern (at most {MAX_LINES} lines a file):\n{}",
        long.join("\n")
    );
}

#[test]
fn a_cycle_is_found() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("server/content")).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "pub mod server;\npub mod pages;\npub mod api;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server.rs"),
        "pub mod content;\npub mod site;\npub use content::posts::Post;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server/content.rs"),
        "pub mod posts;\npub mod categories;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server/content/posts.rs"),
        "use crate::server::content::categories;\nfn f() { categories::path(); }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server/content/categories.rs"),
        "use super::{posts::{list_where, PostFilter}, x};\n// crate::api::x\n#[cfg(test)]\nmod tests { use super::*; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server/site.rs"),
        "use super::{content::posts,\n};\n",
    )
    .unwrap();
    std::fs::write(dir.join("pages.rs"), "fn f() { crate::api::x(); }\n").unwrap();
    std::fs::write(dir.join("api.rs"), "const URL: &str = \"https://x\";\n").unwrap();
    let (modules, rooms) = graphs(&dir);
    let cycles = find_cycles(&modules);
    assert_eq!(
        cycles.len(),
        1,
        "posts and categories need each other: {cycles:?}"
    );
    assert!(
        cycles[0].contains(&"server::content::posts".to_string()),
        "{cycles:?}"
    );
    assert!(find_cycle(&rooms).is_none(), "{rooms:?}");
    // A trailing comma names nothing more.
    assert_eq!(
        modules["server::site"],
        BTreeSet::from(["server::content::posts".to_string()])
    );
    std::fs::write(
        dir.join("server/content/posts.rs"),
        "fn f() { crate::server::site::x(); }\n",
    )
    .unwrap();
    let (_, rooms) = graphs(&dir);
    assert_eq!(
        find_cycle(&rooms),
        Some(vec![
            "server::content".to_string(),
            "server::site".to_string(),
            "server::content".to_string()
        ])
    );
    // An api that renders a page that calls the api: a cycle of rooms and of modules.
    std::fs::write(
        dir.join("api.rs"),
        "use crate::pages;\nfn g() { pages::x(); }\n",
    )
    .unwrap();
    let (modules, rooms) = graphs(&dir);
    assert!(find_cycles(&modules)
        .iter()
        .any(|c| c == &["api", "pages", "api"]));
    assert_eq!(find_cycles(&rooms).len(), 2, "{rooms:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rooms-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
