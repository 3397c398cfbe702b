//! The TLS step: a handshake with the same roots as the engine's requests (the bundled public
//! ones and the system's store, as reqwest loads them), which keeps the certificates the server
//! presented so their issuer can be named even when they are refused — and named as a company's
//! TLS-inspection service when it looks like one.

use super::certificate;
use super::Found;
use crate::diagnose::codes::CHECK_TLS_INSPECTION;
use crate::diagnose::{network, Context, Diagnosis, Fix};
use crate::error::NetworkFailure;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncWrite};
use url::Url;

/// Issuer names of TLS-inspection products (lower case, as found in the name) and the product.
const INSPECTION: &[(&str, &str)] = &[
    ("zscaler", "Zscaler"),
    ("netskope", "Netskope"),
    ("palo alto", "Palo Alto Networks"),
    ("paloalto", "Palo Alto Networks"),
    ("fortinet", "Fortinet FortiGate"),
    ("fortigate", "Fortinet FortiGate"),
    ("blue coat", "Blue Coat (Symantec)"),
    ("bluecoat", "Blue Coat (Symantec)"),
    ("symantec", "Blue Coat (Symantec)"),
    ("umbrella", "Cisco Umbrella"),
    ("opendns", "Cisco Umbrella"),
    ("forcepoint", "Forcepoint"),
    ("websense", "Forcepoint"),
    ("sophos", "Sophos"),
    ("check point", "Check Point"),
    ("checkpoint", "Check Point"),
    ("skyhigh", "Skyhigh Security (McAfee)"),
    ("mcafee", "Skyhigh Security (McAfee)"),
    ("barracuda", "Barracuda"),
    ("sonicwall", "SonicWall"),
    ("watchguard", "WatchGuard"),
    ("menlo security", "Menlo Security"),
    ("iboss", "iboss"),
    ("cloudflare managed", "Cloudflare Gateway"),
    ("kaspersky", "Kaspersky"),
    ("avast", "Avast"),
    ("eset ssl filter", "ESET"),
    ("bitdefender", "Bitdefender"),
];

/// The inspection product whose name an issuer carries, if any.
pub fn inspection_product(issuer: &str) -> Option<&'static str> {
    let lower = issuer.to_lowercase();
    INSPECTION.iter().find(|(needle, _)| lower.contains(needle)).map(|(_, product)| *product)
}

/// The roots the engine's requests trust: the bundled public roots and the system's store
/// (certificates it cannot read are passed over, as reqwest does).
fn engine_roots() -> RootCertStore {
    let mut roots = public_roots();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    roots
}

/// The bundled public roots alone.
fn public_roots() -> RootCertStore {
    RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A verifier that keeps the chain it was shown, then asks the real one.
#[derive(Debug)]
struct Keeping {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Vec<CertificateDer<'static>>>,
}

impl ServerCertVerifier for Keeping {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The name to present and check: the URL's host, without an IPv6 address's brackets.
fn server_name(url: &Url) -> Option<ServerName<'static>> {
    let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']').to_string();
    ServerName::try_from(host).ok()
}

/// Shakes hands over `stream` (a connection to the server, or a proxy's tunnel to it) for `url`.
/// The caller bounds the time.
pub async fn handshake<S>(stream: S, url: &Url) -> Found
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let host = crate::origin::host_label(url);
    let ctx = Context { url: Some(url.to_string()), ..Context::default() };
    let Some(name) = server_name(url) else {
        return Found::skipped(format!("{host} is not a name a certificate can be checked for"));
    };
    let verifier =
        match WebPkiServerVerifier::builder_with_provider(Arc::new(engine_roots()), provider())
            .build()
        {
            Ok(v) => v,
            Err(e) => {
                let detail = format!("no certificate authority could be loaded ({e})");
                return Found::fail(
                    detail.clone(),
                    network::diagnose(url.as_str(), NetworkFailure::Tls, &detail, &ctx),
                );
            }
        };
    let keeping = Arc::new(Keeping { inner: verifier, seen: Mutex::new(Vec::new()) });
    let config = match rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
    {
        Ok(b) => {
            b.dangerous().with_custom_certificate_verifier(keeping.clone()).with_no_client_auth()
        }
        Err(e) => {
            let detail = format!("TLS could not start ({e})");
            return Found::fail(
                detail.clone(),
                network::diagnose(url.as_str(), NetworkFailure::Tls, &detail, &ctx),
            );
        }
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let result = connector.connect(name.clone(), stream).await;
    let seen = keeping.seen.lock().map(|s| s.clone()).unwrap_or_default();
    let issuers: Vec<String> =
        seen.iter().filter_map(|c| certificate::names(c)).map(|n| n.issuer).collect();
    let issuer = issuers.first().cloned();
    let product = issuers.iter().find_map(|i| inspection_product(i));
    match result {
        Ok(tls) => {
            let version = match tls.get_ref().1.protocol_version() {
                Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3",
                Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2",
                _ => "TLS",
            };
            let issued = issuer
                .as_deref()
                .map(|i| format!(", certificate issued by \"{}\"", certificate::common_name(i)))
                .unwrap_or_default();
            let public = public_verifier().is_some_and(|v| {
                seen.split_first().is_some_and(|(ee, rest)| {
                    v.verify_server_cert(ee, rest, &name, &[], UnixTime::now()).is_ok()
                })
            });
            let whose = match product {
                Some(p) => format!(
                    " — {p}, a company TLS-inspection service, which this computer trusts through its own certificate store"
                ),
                None if public => " (a public certificate authority)".to_string(),
                None => " (trusted through this computer's own certificate store, not a public authority)".to_string(),
            };
            Found::pass(format!("{host}: {version}{issued}{whose}"))
        }
        Err(e) => {
            let rustls_error = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>());
            let unknown_issuer = matches!(
                rustls_error,
                Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
            );
            let text = match rustls_error {
                Some(r) => r.to_string(),
                None => e.to_string(),
            };
            match (unknown_issuer, product, issuer) {
                (true, Some(product), Some(issuer)) => {
                    let detail = format!(
                        "{host}: the certificate was issued by \"{}\" — {product}, a company TLS-inspection service — which this computer does not trust",
                        certificate::common_name(&issuer)
                    );
                    Found::fail(detail, inspection(&host, product, &issuer))
                }
                (true, None, Some(issuer)) => {
                    let detail = format!(
                        "{host}: the certificate was issued by \"{}\", which is not a certificate authority this computer trusts",
                        certificate::common_name(&issuer)
                    );
                    let mut d = network::diagnose(url.as_str(), NetworkFailure::Tls, &text, &ctx);
                    d.what_happened.insert(0, format!("The server's certificate was issued by \"{issuer}\": neither one of the public certificate authorities nor one in this computer's certificate store."));
                    Found::fail(detail.clone(), d.details(format!("{detail} ({text})")))
                }
                _ => {
                    let detail = format!("{host}: {text}");
                    let d = network::diagnose(url.as_str(), NetworkFailure::Tls, &text, &ctx);
                    Found::fail(detail.clone(), d.details(detail))
                }
            }
        }
    }
}

/// A verifier with the public roots alone: tells a public certificate from one trusted only
/// through this computer's store.
fn public_verifier() -> Option<Arc<WebPkiServerVerifier>> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(public_roots()), provider()).build().ok()
}

/// A company's TLS-inspection service answers for the server, with a root this computer lacks.
fn inspection(host: &str, product: &str, issuer: &str) -> Diagnosis {
    Diagnosis::new(
        CHECK_TLS_INSPECTION,
        format!("Your company's TLS inspection ({product}) stands between this computer and {host}"),
    )
    .cause(format!(
        "The certificate the app received for {host} was issued by \"{issuer}\": {product}, a service companies use to inspect encrypted traffic. It replaces every site's certificate with one of its own."
    ))
    .cause("This computer does not have the company's root certificate that makes those replacements trusted, so the app refuses the connection, as it must.")
    .step("Ask your IT team for the company's root certificate (for this inspection service) and have it installed in the system's certificate store. The app trusts the system's store, so nothing else is needed.")
    .step("On Linux: copy the certificate (a .crt file) to /usr/local/share/ca-certificates/ and run `sudo update-ca-certificates`; or point SSL_CERT_FILE at a file that holds it.")
    .step("Or ask IT to exempt app.scopestack.io and api.scopestack.io from inspection.")
    .fix(Fix::Retry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspection_products_are_named() {
        assert_eq!(inspection_product("CN=Zscaler Root CA, O=Zscaler Inc."), Some("Zscaler"));
        assert_eq!(inspection_product("CN=FortiGate CA, O=Fortinet"), Some("Fortinet FortiGate"));
        assert_eq!(inspection_product("CN=caadmin.netskope.com"), Some("Netskope"));
        assert_eq!(inspection_product("CN=ISRG Root X1, O=Internet Security Research Group"), None);
        assert_eq!(inspection_product("CN=Amazon RSA 2048 M02, O=Amazon"), None);
    }
}
