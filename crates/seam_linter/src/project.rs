//! The project a file belongs to: the nearest directory with a package.json. Its `next`
//! version steers version-dependent fixes; its root anchors path-based exemptions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use seam_rules::ProjectInfo;

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub info: ProjectInfo,
}

#[derive(Default)]
pub struct ProjectResolver {
    cache: HashMap<PathBuf, Option<Arc<Project>>>,
}

impl ProjectResolver {
    pub fn for_dir(&mut self, dir: &Path) -> Option<Arc<Project>> {
        if let Some(cached) = self.cache.get(dir) {
            return cached.clone();
        }
        let manifest = dir.join("package.json");
        let found = match seam_diagnostics::files::read_json_bounded(&manifest) {
            Ok(text) => Some(Arc::new(Project {
                root: dir.to_path_buf(),
                info: ProjectInfo::load(dir, text),
            })),
            Err(_) => dir.parent().and_then(|parent| self.for_dir(parent)),
        };
        self.cache.insert(dir.to_path_buf(), found.clone());
        found
    }
}
