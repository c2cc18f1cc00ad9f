//! End-to-end tests: the real `seam` binary on fixture apps and on small projects written to
//! temporary directories.

mod support;

mod bad_input;
mod cache;
mod cli;
mod config;
mod demo_app;
mod fixes;
mod formats;
mod graph_apps;
mod hostile;
mod invariance;
mod lsp;
mod neovim;
mod project_rules;
mod suppressions;
mod versions;
mod walk;
