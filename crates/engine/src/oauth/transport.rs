//! The HTTP adapter the `oauth2` crate sends through: our client (TLS roots, proxies, timeouts,
//! no redirects) and a cap on how much of an answer is read ([`crate::http_answer::read_capped`]).

use crate::http_answer::{read_capped, TransportError};

/// Sends one request built by `oauth2` and reads at most `max_body` bytes of the answer.
pub async fn send(
    client: &reqwest::Client,
    request: oauth2::HttpRequest,
    max_body: usize,
) -> Result<oauth2::HttpResponse, TransportError> {
    let request =
        reqwest::Request::try_from(request).map_err(|e| TransportError::Build(e.to_string()))?;
    let response = client.execute(request).await?;
    let mut builder =
        http::Response::builder().status(response.status()).version(response.version());
    if let Some(headers) = builder.headers_mut() {
        headers.extend(response.headers().iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let body = read_capped(response, max_body).await?;
    builder.body(body).map_err(|e| TransportError::Build(e.to_string()))
}
