//! The server code's rooms form a tree: no module of `app/src/server/` needs one that needs it
//! back, directly or through others, and no room needs a room that needs it back. This reads
//! the sources (as a reviewer would) and fails naming the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module file under `server/`, by its path (`content::posts`), with its source up to its
/// tests (`super::` inside `mod tests` means the file itself).
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
                let code = source.split("#[cfg(test)]").next().unwrap().to_string();
                out.insert(module, code);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

/// The paths a source names, each as written after its prefix: `crate::server::a::b`,
/// `super::a`, `self::a`, `child::x` for a declared child, with `{a, b::c}` groups expanded.
fn named_paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let parent: Vec<String> = module.split("::").map(str::to_string).collect();
    let own = parent.clone();
    let parent = parent[..parent.len() - 1].to_vec();
    let children: Vec<String> = code
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect();
    let mut prefixes: Vec<(String, Vec<String>)> = vec![
        ("crate::server::".into(), vec![]),
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
            return items
                .iter()
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

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if !state.contains_key(node.as_str()) {
            if let Some(cycle) = visit(node, edges, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

/// Module and room dependencies of the sources under `root`.
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
            by_module
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
            let room = |m: &str| m.split("::").next().unwrap().to_string();
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
fn the_server_code_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server");
    let (modules, rooms) = graphs(&root);
    assert!(modules.len() > 10, "the sources were read: {modules:?}");
    if let Some(cycle) = find_cycle(&modules) {
        panic!(
            "modules of app/src/server need each other: {}",
            cycle.join(" -> ")
        );
    }
    if let Some(cycle) = find_cycle(&rooms) {
        panic!(
            "rooms of app/src/server need each other: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn a_cycle_is_found() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(
        dir.join("content.rs"),
        "pub mod posts;\npub mod categories;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/posts.rs"),
        "use crate::server::content::categories;\nfn f() { categories::path(); }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/categories.rs"),
        "use super::{posts::{list_where, PostFilter}, x};\n#[cfg(test)]\nmod tests { use super::*; }\n",
    )
    .unwrap();
    std::fs::write(dir.join("site.rs"), "use super::content::posts;\n").unwrap();
    let (modules, rooms) = graphs(&dir);
    let cycle = find_cycle(&modules).expect("posts and categories need each other");
    assert!(cycle.contains(&"content::posts".to_string()), "{cycle:?}");
    assert!(find_cycle(&rooms).is_none());
    std::fs::write(
        dir.join("content/posts.rs"),
        "fn f() { crate::server::site::x(); }\n",
    )
    .unwrap();
    let (_, rooms) = graphs(&dir);
    assert_eq!(
        find_cycle(&rooms),
        Some(vec![
            "content".to_string(),
            "site".to_string(),
            "content".to_string()
        ])
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rooms-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
