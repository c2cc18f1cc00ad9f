//! Running a command and measuring it: wall time, and peak resident memory from the kernel's
//! accounting of the child (`wait4`), so the numbers are the process's own and not a sampler's.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size, in bytes.
    pub peak_rss: u64,
    pub exit_code: i32,
}

/// Runs `command` with its output going to `stdout_to` (a file) or nowhere, and measures it.
pub fn run(command: &mut Command, stdout_to: Option<&Path>) -> std::io::Result<Sample> {
    let stdout = match stdout_to {
        Some(path) => Stdio::from(std::fs::File::create(path)?),
        None => Stdio::null(),
    };
    let started = Instant::now();
    let child = command.stdout(stdout).stderr(Stdio::null()).spawn()?;
    let (status, usage) = wait(child.id())?;
    let wall = started.elapsed();
    Ok(Sample {
        wall,
        peak_rss: usage,
        exit_code: status,
    })
}

#[cfg(unix)]
fn wait(pid: u32) -> std::io::Result<(i32, u64)> {
    let mut status = 0;
    // SAFETY: wait4 writes a plain C struct that a zeroed value initialises.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet reaped; both pointers are valid for the call.
    let pid = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in kilobytes on Linux.
    Ok((code, usage.ru_maxrss as u64 * 1024))
}

#[cfg(not(unix))]
fn wait(_pid: u32) -> std::io::Result<(i32, u64)> {
    Err(std::io::Error::other(
        "the benchmark measures memory with wait4, on Unix only",
    ))
}

/// The median of several samples by wall time (the middle one; the faster for an even count).
pub fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.wall);
    samples[(samples.len() - 1) / 2]
}
