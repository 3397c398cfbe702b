//! A 100 MB body streams to disk with bounded memory: the process's peak resident memory
//! (VmHWM in /proc/self/status) grows by far less than the body while it is received. In a
//! process of its own, so no other test's memory counts.

use crate::requests_support::*;
use engine::requests::{self as rq, RequestSpec};

/// Peak resident memory of this process, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak to the current resident size, where the kernel allows it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_megabytes_stream_to_disk_with_bounded_memory() {
    if !crate::one_process::in_a_process_of_its_own(
        "requests_memory::a_hundred_megabytes_stream_to_disk_with_bounded_memory",
    ) {
        return;
    }
    let s = SandboxSession::start().await;
    let get = |bytes: u64| {
        RequestSpec::get("{account-slug}/v1/sample-records")
            .with_query("bytes", &bytes.to_string())
            .with_header("Accept-Encoding", "identity")
    };
    // Warm up: buffers, the connection pool and the temporary directory exist before measuring.
    let warm = rq::send(&s.engine, &s.target, &get(4_000_000), &slug_vars(), &s.store, &s.cancel)
        .await
        .unwrap();
    assert!(warm.stored_on_disk);

    let Some(before) = peak_rss() else {
        eprintln!("no /proc/self/status here: memory not measured");
        return;
    };
    let reset = reset_peak();
    let before = if reset { peak_rss().unwrap() } else { before };

    const SIZE: u64 = 104_857_600;
    let r = rq::send(&s.engine, &s.target, &get(SIZE), &slug_vars(), &s.store, &s.cancel)
        .await
        .unwrap();
    let after = peak_rss().unwrap();
    let grew = after.saturating_sub(before);
    eprintln!(
        "100 MB: ttfb {:.1} ms, total {:.1} ms; peak RSS {} MiB -> {} MiB (+{} MiB, peak reset: {reset})",
        r.timings.ttfb_ms,
        r.timings.total_ms,
        before >> 20,
        after >> 20,
        grew >> 20
    );

    assert_eq!(r.status, 200);
    assert!(r.stored_on_disk);
    assert_eq!((r.sizes.wire, r.sizes.decoded), (SIZE, SIZE));
    assert_eq!(s.store.body_len(r.id).unwrap(), SIZE);
    let dir = s.store.temp_dir().unwrap();
    let on_disk: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .max()
        .unwrap();
    assert_eq!(on_disk, SIZE, "the whole body is in the temporary file");
    let tail = s.store.read_chunk(r.id, SIZE - 64, 64).unwrap();
    assert!(
        String::from_utf8_lossy(&tail).contains(r#"],"meta":{"record-count":"#),
        "{}",
        String::from_utf8_lossy(&tail)
    );
    assert!(grew < 40 << 20, "receiving 100 MB raised the peak memory by {} MiB", grew >> 20);

    // Dropping the store deletes the file.
    drop(s);
    assert!(!dir.exists());
}
