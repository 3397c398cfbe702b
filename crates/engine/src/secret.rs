//! `Secret`: a string that cannot be printed, logged or serialised by accident.

use std::fmt;

/// A client secret, password or token. `Debug` prints `[redacted]` and there is no `Display`, so
/// formatting a secret into a string (`format!("{secret}")`) does not compile; the value is
/// reached only through [`Secret::expose`], so every place that uses it is visible in the code.
///
/// ```compile_fail
/// let secret = engine::Secret::new("hunter2");
/// let _leak = format!("{secret}");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret value itself. Call it only where the value must leave the process: an HTTP
    /// request, the keychain, the clipboard.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_never_shows_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert!(!format!("{s:?} {:#?}", Some(&s)).contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-very-secret");
    }
}
