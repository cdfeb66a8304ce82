//! The file names of the built script, wasm and stylesheet under `/pkg/`.
//!
//! The build (cargo-leptos' `hash-files`) names each after a hash of its content
//! (`portal.0bPN…Q.wasm`; the split chunks likewise) and lists the three main ones in
//! `hash.txt` beside the server binary. Since a changed file gets a new name, browsers may keep
//! them for a year without asking again (`immutable`). Without that list (tests, a build
//! without hashing) the plain names are used and nothing is marked immutable.

use std::path::Path;
use std::sync::OnceLock;

use leptos::prelude::LeptosOptions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// `/pkg/portal.….js`
    pub js: String,
    /// `/pkg/portal.….wasm`
    pub wasm: String,
    /// `/pkg/portal.….css`
    pub css: String,
    /// Whether the names carry content hashes.
    pub hashed: bool,
}

static ASSETS: OnceLock<Assets> = OnceLock::new();

impl Assets {
    /// The names of this build, read once (the server does so at start).
    pub fn get(options: &LeptosOptions) -> &'static Assets {
        ASSETS.get_or_init(|| {
            let list = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                .and_then(|path| read_list(&path));
            Assets::named(options, list.as_deref())
        })
    }

    /// The names, once read (always, in a started server).
    pub fn loaded() -> Option<&'static Assets> {
        ASSETS.get()
    }

    /// The names for the hash list `list` (`js: …`, `wasm: …`, `css: …` lines), or the plain
    /// names without one.
    pub fn named(options: &LeptosOptions, list: Option<&str>) -> Assets {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let hash_of = |kind: &str| {
            list?.lines().find_map(|line| {
                let (name, hash) = line.split_once(':')?;
                let hash = hash.trim();
                (name.trim() == kind && !hash.is_empty()).then(|| hash.to_string())
            })
        };
        let (js, wasm, css) = (hash_of("js"), hash_of("wasm"), hash_of("css"));
        let hashed = js.is_some() && wasm.is_some() && css.is_some();
        let name = |hash: Option<String>, ext: &str| match hash.filter(|_| hashed) {
            Some(hash) => format!("{pkg}.{hash}.{ext}"),
            None => format!("{pkg}.{ext}"),
        };
        Assets {
            js: name(js, "js"),
            wasm: name(wasm, "wasm"),
            css: name(css, "css"),
            hashed,
        }
    }
}

fn read_list(path: &Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(list) => Some(list),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            tracing::warn!(path = %path.display(), %err, "cannot read the list of hashed asset names");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("portal").build()
    }

    #[test]
    fn hashed_names_come_from_the_list_the_build_wrote() {
        let list = "js: Ab_1\nwasm: Cd-2\ncss: Ef3\nmanifest: Gh4\nsplit: Ij5\n";
        let assets = Assets::named(&options(), Some(list));
        assert_eq!(assets.js, "/pkg/portal.Ab_1.js");
        assert_eq!(assets.wasm, "/pkg/portal.Cd-2.wasm");
        assert_eq!(assets.css, "/pkg/portal.Ef3.css");
        assert!(assets.hashed);
    }

    #[test]
    fn without_a_complete_list_the_plain_names_are_used() {
        for list in [None, Some("js: Ab1\nwasm: Cd2\n"), Some("")] {
            let assets = Assets::named(&options(), list);
            assert_eq!(assets.js, "/pkg/portal.js");
            assert_eq!(assets.wasm, "/pkg/portal.wasm");
            assert_eq!(assets.css, "/pkg/portal.css");
            assert!(!assets.hashed);
        }
    }
}
