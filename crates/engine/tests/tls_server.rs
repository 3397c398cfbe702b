//! A TLS server on 127.0.0.1 for the tests, with a test certificate from a folder of the tests,
//! that reads one request and answers every connection with the same bytes.

use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// Serves TLS with `{dir}/{which}.cert.der` (then `{dir}/{chain_ca}.cert.der` when given, the
/// certificate of its issuing CA) and `{dir}/{which}.key.der`, answering `answer` to each
/// connection. Returns its port.
pub async fn serving(dir: &str, which: &str, chain_ca: Option<&str>, answer: Vec<u8>) -> u16 {
    let read =
        |name: String| std::fs::read(format!("{dir}/{name}")).expect("test certificate or key");
    let mut chain =
        vec![rustls::pki_types::CertificateDer::from(read(format!("{which}.cert.der")))];
    if let Some(ca) = chain_ca {
        chain.push(rustls::pki_types::CertificateDer::from(read(format!("{ca}.cert.der"))));
    }
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(read(format!("{which}.key.der")));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, rustls::pki_types::PrivateKeyDer::Pkcs8(key))
        .expect("certificate and key");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let answer: Arc<[u8]> = answer.into();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            let (acceptor, answer) = (acceptor.clone(), Arc::clone(&answer));
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(s).await {
                    let mut buf = [0u8; 4096];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls.write_all(&answer).await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}
