//! Why a sandbox could not start, worded so that the reader knows what to do next.

/// Errors from [`crate::Sandbox::start`].
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Another program already listens on the requested port.
    #[error(
        "port {port} on 127.0.0.1 is already in use by another program: stop that program, \
         choose another port, or use port 0 to let the sandbox pick a free one"
    )]
    PortInUse {
        /// The requested port.
        port: u16,
    },
    /// The operating system refused the port (for example a privileged port below 1024).
    #[error(
        "this computer does not allow listening on port {port} of 127.0.0.1: choose a port \
         above 1023, or use port 0 to let the sandbox pick a free one"
    )]
    PermissionDenied {
        /// The requested port.
        port: u16,
    },
    /// Any other failure to open the listening socket.
    #[error(
        "could not start the sandbox on 127.0.0.1:{port} ({source}): try another port, or use \
         port 0 to let the sandbox pick a free one"
    )]
    Bind {
        /// The requested port.
        port: u16,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl SandboxError {
    /// Classifies a failed `bind` on `port`.
    pub(crate) fn from_bind(port: u16, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::AddrInUse => SandboxError::PortInUse { port },
            std::io::ErrorKind::PermissionDenied => SandboxError::PermissionDenied { port },
            _ => SandboxError::Bind { port, source },
        }
    }
}
