//! glibc's allocator, set for a long-running server before `serve` allocates anything. By
//! default glibc raises its mmap threshold each time a large block is freed (an argon2 hash's
//! 12 MiB, the index writer's tables), after which every buffer of a rush comes from arenas
//! that fragment and never shrink: the Monday-morning rush bench measured a peak of 97-136 MiB
//! (up to 180 on a loaded machine) with the default, 69-80 MiB with the threshold fixed. The
//! settings are environment variables glibc reads at start-up only, so `serve` starts itself
//! again with them (same process id, arguments and open files); ones the admin set are kept.
//! The static musl build has no such arenas and skips this.

/// Allocator settings: two arenas (not one per thread that ever allocated), and blocks of
/// 128 KiB and more mapped on their own and given back when freed (glibc's default threshold,
/// but fixed: setting it turns the raising off).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const SETTINGS: [(&str, &str); 2] = [
    ("MALLOC_ARENA_MAX", "2"),
    ("MALLOC_MMAP_THRESHOLD_", "131072"),
];

/// Restarts the process with [`SETTINGS`] when some are missing; returns (and the server runs
/// with the defaults) only when that cannot be done.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn settle() {
    use std::os::unix::process::CommandExt;
    let missing: Vec<_> = SETTINGS
        .iter()
        .filter(|(name, _)| std::env::var_os(name).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let mut arguments = std::env::args_os();
    let mut command = std::process::Command::new(program);
    if let Some(name) = arguments.next() {
        command.arg0(name);
    }
    command.args(arguments);
    command.envs(missing.iter().map(|&&(name, value)| (name, value)));
    let error = command.exec();
    tracing::warn!(%error, "cannot restart with the allocator settings; serving with glibc's defaults");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn settle() {}
