//! A bounded fuzzing run for CI, and the inputs earlier runs found, as regression tests.

use std::path::PathBuf;

use seam_fuzz::{check_file, iteration, Corpus, Rng, Target};

fn corpus() -> Corpus {
    Corpus::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")).unwrap()
}

/// `runs` inputs from `seed` through `target`; every property holds.
fn fuzz(target: Target, seed: u64, runs: usize) {
    let corpus = corpus();
    let mut rng = Rng::new(seed);
    for _ in 0..runs {
        let (seed, input, outcome) = iteration(&corpus, &mut rng, target);
        assert_eq!(
            outcome,
            Ok(()),
            "seed {}:\n{input}",
            corpus.seeds[seed].path.display()
        );
    }
}

#[test]
fn mutated_fixture_files_never_panic_and_fixes_stay_sound() {
    fuzz(Target::File, 0x5ea1, 300);
}

#[test]
fn mutated_files_in_their_app_never_panic() {
    fuzz(Target::App, 0xa99, 15);
}

/// Every file in tests/fuzz-regressions (named like the seed whose job lints it: the extension
/// picks the syntax) goes through the file pipeline.
#[test]
fn inputs_earlier_runs_found_stay_fixed() {
    let corpus = corpus();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(seed) = corpus
            .seeds
            .iter()
            .position(|s| s.path.extension().and_then(|e| e.to_str()) == Some(extension))
        else {
            continue;
        };
        assert_eq!(
            check_file(corpus.job(seed), &text),
            Ok(()),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn the_generator_is_deterministic() {
    let corpus = corpus();
    let run = |seed| {
        let mut rng = Rng::new(seed);
        (0..20)
            .map(|_| corpus.mutate(rng.below(corpus.seeds.len()), &mut rng))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}
