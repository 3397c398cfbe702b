//! Chooses WebKitGTK's painting path before the window exists: CPU painting when the machine has
//! no GPU for it.
//!
//! WebKitGTK 2.46+ paints with Skia on the GPU whenever OpenGL works. Without a GPU device (a VM,
//! a remote desktop, Xvfb) OpenGL is Mesa's software renderer, so that "GPU" path compiles shaders
//! on the CPU for each new kind of shape in the first frames: measured under Xvfb, the first view
//! took about 150 ms longer to paint than with Skia's CPU painting (`WEBKIT_SKIA_ENABLE_CPU_RENDERING`).
//! With a GPU device WebKit's own choice stands, and a value the user set is never changed.

use std::path::Path;

/// WebKit's switch for Skia's CPU painting.
pub const CPU_PAINTING_VARIABLE: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether `dev` (normally `/dev`) holds a device OpenGL could run on: a DRM render or card node
/// (`dri/renderD*`, `dri/card*`) or NVIDIA's proprietary device (`nvidia0`, …).
pub fn has_gpu_device(dev: &Path) -> bool {
    let named = |dir: &Path, prefixes: &[&str]| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name().to_str().is_some_and(|n| {
                    prefixes.iter().any(|p| {
                        n.starts_with(p)
                            && n[p.len()..].chars().all(|c| c.is_ascii_digit())
                            && n.len() > p.len()
                    })
                })
            })
        })
    };
    named(&dev.join("dri"), &["renderD", "card"]) || named(dev, &["nvidia"])
}

/// The variable to set for this launch, if any: CPU painting when there is no GPU device and the
/// user has not set the switch either way.
pub fn painting_override(
    dev: &Path,
    user_value: Option<std::ffi::OsString>,
) -> Option<(&'static str, &'static str)> {
    if user_value.is_some() || has_gpu_device(dev) {
        return None;
    }
    Some((CPU_PAINTING_VARIABLE, "1"))
}

/// Applies [`painting_override`] for this process. Call first thing in `main`, while the process
/// has one thread: the environment is read by WebKit when the window is made.
pub fn choose_painting_path() {
    if let Some((name, value)) =
        painting_override(Path::new("/dev"), std::env::var_os(CPU_PAINTING_VARIABLE))
    {
        std::env::set_var(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev_with(files: &[&str]) -> tempfile::TempDir {
        let dev = tempfile::tempdir().unwrap();
        for f in files {
            let path = dev.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        dev
    }

    #[test]
    fn no_gpu_device_means_cpu_painting() {
        for files in [
            &[][..],
            &["dri/by-path/x"],
            &["null", "nvidiactl", "nvidia-modeset"],
            &["dri/renderDx", "dri/card"],
        ] {
            let dev = dev_with(files);
            assert!(!has_gpu_device(dev.path()), "{files:?}");
            assert_eq!(
                painting_override(dev.path(), None),
                Some(("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1")),
                "{files:?}"
            );
        }
    }

    #[test]
    fn a_render_node_a_card_or_an_nvidia_device_keeps_webkits_choice() {
        for files in [&["dri/renderD128"][..], &["dri/card0"], &["nvidia0"]] {
            let dev = dev_with(files);
            assert!(has_gpu_device(dev.path()), "{files:?}");
            assert_eq!(painting_override(dev.path(), None), None, "{files:?}");
        }
    }

    #[test]
    fn the_users_own_setting_is_kept_either_way() {
        let dev = dev_with(&[]);
        assert_eq!(painting_override(dev.path(), Some("0".into())), None);
        assert_eq!(painting_override(dev.path(), Some("1".into())), None);
    }
}
