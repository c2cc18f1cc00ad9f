//! cacheLife profiles: Next.js's built-in ones and those a project's next.config defines.

use seam_syntax::next_config::Setting;

use crate::ProjectInfo;

/// The names `next/cache` exports `cacheLife` under (15 has only the `unstable_` one).
pub const CACHE_LIFE_APIS: &[&str] = &["cacheLife", "unstable_cacheLife"];

/// Built-in profiles (Next 15 and 16): name, stale, revalidate, expire (seconds; None = never).
pub const BUILTIN_PROFILES: &[(&str, Option<u32>, u32, Option<u32>)] = &[
    ("default", None, 900, None),
    ("seconds", Some(30), 1, Some(60)),
    ("minutes", Some(300), 60, Some(3600)),
    ("hours", Some(300), 3600, Some(86400)),
    ("days", Some(300), 86400, Some(604800)),
    ("weeks", Some(300), 604800, Some(2592000)),
    ("max", Some(300), 2592000, Some(31536000)),
];

/// `'use cache: <kind>'` kinds Next.js handles without configuration.
pub const BUILTIN_CACHE_KINDS: &[&str] = &["default", "remote", "private"];

/// Every profile name the project can use; None when next.config's profiles cannot be read.
pub fn known_profiles(project: &ProjectInfo) -> Option<Vec<String>> {
    let mut names: Vec<String> = BUILTIN_PROFILES.iter().map(|p| p.0.to_string()).collect();
    if let Some(config) = &project.next_config {
        match &config.config.cache_life {
            Setting::Set(profiles) => names.extend(profiles.iter().map(|p| p.name.clone())),
            Setting::Unset => {}
            Setting::Unreadable => return None,
        }
    }
    Some(names)
}

/// Every `'use cache: <kind>'` kind the project can use; None when `cacheHandlers` cannot be read.
pub fn known_cache_kinds(project: &ProjectInfo) -> Option<Vec<String>> {
    let mut kinds: Vec<String> = BUILTIN_CACHE_KINDS.iter().map(|k| k.to_string()).collect();
    if let Some(config) = &project.next_config {
        match &config.config.cache_handlers {
            Setting::Set(keys) => kinds.extend(keys.iter().cloned()),
            Setting::Unset => {}
            Setting::Unreadable => return None,
        }
    }
    Some(kinds)
}

/// The closest known name, for a did-you-mean.
pub fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}
