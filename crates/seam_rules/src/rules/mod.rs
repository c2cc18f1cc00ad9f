//! One file per rule. Adding a rule: write the file, add it to `ALL`, write rules/<name>.md,
//! and add fixtures under tests/fixtures/<name>/.

use seam_diagnostics::Severity;

use crate::{no_options, no_options_schema, FixKind, Needs, Rule};

pub mod action_wrapper_convention;
pub mod cache_api_outside_cache;
pub mod cache_not_enabled;
pub mod client_api_in_server_component;
pub mod deprecated_next_import;
pub mod dynamic_api_in_cache;
pub mod invalid_cache_life;
pub mod invalid_segment_export;
pub mod misplaced_directive;
pub mod missing_auth_check;
pub mod missing_cache_life;
pub mod non_async_server_export;
pub mod non_serializable_action_return;
pub mod public_action_rate_limit;
pub mod redirect_in_try_catch;
pub mod revalidate_path_overuse;
pub mod revalidate_tag_signature;
pub mod server_env_in_client;
pub mod server_import_in_client;
pub mod side_effect_in_cache;
pub mod sync_dynamic_api;
pub mod throw_in_action;
pub mod unbounded_data_cache;
pub mod unbounded_module_cache;
pub mod unknown_cache_life_profile;
pub mod vulnerable_next_version;

pub const PARSE_ERROR: &str = "parse-error";
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

pub static ALL: &[Rule] = &[
    throw_in_action::RULE,
    revalidate_path_overuse::RULE,
    unbounded_module_cache::RULE,
    unbounded_data_cache::RULE,
    missing_cache_life::RULE,
    non_async_server_export::RULE,
    misplaced_directive::RULE,
    server_import_in_client::RULE,
    missing_auth_check::RULE,
    unknown_cache_life_profile::RULE,
    invalid_cache_life::RULE,
    dynamic_api_in_cache::RULE,
    cache_api_outside_cache::RULE,
    revalidate_tag_signature::RULE,
    redirect_in_try_catch::RULE,
    server_env_in_client::RULE,
    vulnerable_next_version::RULE,
    cache_not_enabled::RULE,
    client_api_in_server_component::RULE,
    invalid_segment_export::RULE,
    deprecated_next_import::RULE,
    sync_dynamic_api::RULE,
    side_effect_in_cache::RULE,
    non_serializable_action_return::RULE,
    action_wrapper_convention::RULE,
    public_action_rate_limit::RULE,
    Rule {
        name: PARSE_ERROR,
        default_severity: Severity::Error,
        enabled_by_default: true,
        fix: FixKind::None,
        needs: Needs::File,
        summary: "The file does not parse; seam reports the first syntax error and checks nothing else in it.",
        doc: include_str!("../../../../rules/parse-error.md"),
        check: None,
        check_manifest: None,
        validate_options: no_options,
        options_schema: no_options_schema,
    },
    Rule {
        name: UNUSED_SUPPRESSION,
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fix: FixKind::Safe,
        needs: Needs::File,
        summary: "A seam-disable comment that suppresses nothing, or names an unknown rule.",
        doc: include_str!("../../../../rules/unused-suppression.md"),
        check: None,
        check_manifest: None,
        validate_options: no_options,
        options_schema: no_options_schema,
    },
];
