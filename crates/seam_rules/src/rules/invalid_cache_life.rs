//! `invalid-cache-life`: cache lifetimes Next.js rejects or that cannot mean what they say:
//! `expire` not greater than `revalidate`, values that are not numbers (`false`), `stale` under
//! the client router's 30-second floor, in inline `cacheLife({...})` objects and in next.config
//! profiles; and `unstable_cache(fn, keys, { revalidate: 0 })`, which throws.

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_syntax::next_config::{ConfigValueKind, Setting};
use seam_syntax::{ArgFact, Value};

use crate::cache_profiles::CACHE_LIFE_APIS;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "invalid-cache-life",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Project,
    summary: "A cache profile whose expire is not above revalidate, whose values are not numbers, or whose stale is under 30 s; unstable_cache with revalidate: 0.",
    doc: include_str!("../../../../rules/invalid-cache-life.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

const FIELDS: &[&str] = &["stale", "revalidate", "expire"];
/// The client router never keeps a page for less than this, whatever `stale` says.
const MIN_STALE: f64 = 30.0;

/// A profile field as written: a number, something that is certainly not one, or unknown.
#[derive(Clone, Copy)]
enum Field {
    Number(f64),
    NotNumber(&'static str),
    Unknown,
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for call in &ctx.facts.calls {
        if call.callee.is_imported("next/cache", CACHE_LIFE_APIS) {
            if let Some(Value::Object { props, .. }) = call.args.first().map(|a| &a.value) {
                let fields: Vec<(&str, TextRange, Field)> = props
                    .iter()
                    .filter(|p| FIELDS.contains(&p.key.as_str()))
                    .map(|p| (p.key.as_str(), p.value.range, arg_field(&p.value)))
                    .collect();
                check_profile(None, &fields, out);
            }
        } else if call.callee.is_imported("next/cache", &["unstable_cache"]) {
            check_unstable_cache(call.args.get(2), out);
        }
    }
    check_config_profiles(ctx, out);
}

fn arg_field(arg: &ArgFact) -> Field {
    match &arg.value {
        Value::Number(n) => Field::Number(*n),
        Value::Bool(false) => Field::NotNumber("`false`"),
        Value::Bool(true) => Field::NotNumber("`true`"),
        Value::Str(_) => Field::NotNumber("a string"),
        Value::Null => Field::NotNumber("`null`"),
        Value::Object { .. } => Field::NotNumber("an object"),
        _ => Field::Unknown,
    }
}

fn check_profile(
    profile: Option<&str>,
    fields: &[(&str, TextRange, Field)],
    out: &mut Vec<Diagnostic>,
) {
    let named = |field: &str| match profile {
        Some(p) => format!("`{field}` of the `{p}` profile"),
        None => format!("`{field}`"),
    };
    let get = |key: &str| fields.iter().find(|(k, _, _)| *k == key);
    for (key, range, field) in fields {
        if let Field::NotNumber(what) = field {
            let help = if *what == "`false`" {
                "Use `Infinity` for \"never\"."
            } else {
                "Profile values are numbers of seconds."
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    *range,
                    format!("{} must be a number of seconds, not {what}", named(key)),
                )
                .with_help(help),
            );
        }
    }
    if let (
        Some((_, _, Field::Number(revalidate))),
        Some((_, expire_range, Field::Number(expire))),
    ) = (get("revalidate"), get("expire"))
    {
        if expire <= revalidate {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    *expire_range,
                    format!(
                        "{} ({}) is not greater than `revalidate` ({}): the entry expires before it can be revalidated in the background",
                        named("expire"),
                        seconds(*expire),
                        seconds(*revalidate)
                    ),
                )
                .with_help("`expire` must be greater than `revalidate` (Next.js throws for inline profiles where it is smaller)."),
            );
        }
    }
    if let Some((_, range, Field::Number(stale))) = get("stale") {
        if *stale < MIN_STALE {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    *range,
                    format!("{} is {}: the client router keeps pages at least 30 seconds, so this has no effect", named("stale"), seconds(*stale)),
                )
                .with_help("Use 30 or more, or leave `stale` out."),
            );
        }
    }
}

fn seconds(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{} s", n as i64)
    } else {
        format!("{n} s")
    }
}

fn check_unstable_cache(options: Option<&ArgFact>, out: &mut Vec<Diagnostic>) {
    let Some(revalidate) = options.and_then(|o| o.prop("revalidate")) else {
        return;
    };
    if matches!(revalidate.value, Value::Number(n) if n == 0.0) {
        out.push(
            Diagnostic::new(
                RULE.name,
                revalidate.range,
                "`unstable_cache` with `revalidate: 0` throws as soon as it is called",
            )
            .with_help("Use a positive number of seconds, or `false` to cache until revalidated by tag or path; to not cache at all, drop unstable_cache."),
        );
    }
}

/// Profiles defined in next.config, reported when the linted file is that config.
fn check_config_profiles(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(config) = &ctx.project.next_config else {
        return;
    };
    if ctx.path.to_str() != Some(config.file.as_str()) {
        return;
    }
    let Setting::Set(profiles) = &config.config.cache_life else {
        return;
    };
    for profile in profiles.iter().filter(|p| !p.unreadable) {
        let fields: Vec<(&str, TextRange, Field)> = profile
            .fields
            .iter()
            .filter(|(k, _)| FIELDS.contains(&k.as_str()))
            .map(|(k, v)| {
                let field = match &v.kind {
                    ConfigValueKind::Number(n) => Field::Number(*n),
                    ConfigValueKind::Bool(false) => Field::NotNumber("`false`"),
                    ConfigValueKind::Bool(true) => Field::NotNumber("`true`"),
                    ConfigValueKind::Str(_) => Field::NotNumber("a string"),
                    ConfigValueKind::Other => Field::Unknown,
                };
                (k.as_str(), v.range, field)
            })
            .collect();
        check_profile(Some(&profile.name), &fields, out);
    }
}
