//! Loading the API's own description from its root (`GET {api base}/` with
//! `Accept: application/json`, no token: the description is public) and merging it into the
//! catalogue.

use url::Url;

use super::{enrich_from_openapi, Catalogue, EnrichSummary, MAX_DESCRIPTION_BYTES};
use crate::http::{get_small, ClientFor, SmallAnswer};
use crate::http_answer::{excerpt, status_and_reason};
use crate::EngineError;

/// The API root of an API base URL: the base with a trailing `/`.
pub fn description_url(api_url: &Url) -> Url {
    let mut url = api_url.clone();
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// Fetches the description at the API root of `api_url` and merges it into `catalogue`. Only
/// https://, or http:// to this computer; no token or other credential is sent; redirects are
/// not followed; the answer is read up to [`MAX_DESCRIPTION_BYTES`]. Every failure says what
/// happened and that the built-in catalogue stays in use.
pub async fn load_description(
    http: &impl ClientFor,
    api_url: &Url,
    catalogue: &Catalogue,
) -> Result<(Catalogue, EnrichSummary), EngineError> {
    let url = description_url(api_url);
    if crate::origin::check_transport(&url).is_err() {
        return Err(EngineError::InvalidInput(format!(
            "The API URL {url} is neither https:// nor this computer, so its description is not fetched."
        )));
    }
    // No token: the description is public.
    let SmallAnswer { status, answer, body } =
        get_small(http, &url, "application/json", None, MAX_DESCRIPTION_BYTES).await?;
    if !(200..300).contains(&status) {
        let message = format!(
            "The API root {url} answered {} ({}), not a description of the API. The built-in catalogue stays in use.",
            status_and_reason(status),
            excerpt(&body)
        );
        return Err(EngineError::Api { status, message, answer: answer.boxed() });
    }
    let text = std::str::from_utf8(&body).map_err(|_| {
        EngineError::InvalidInput(format!(
            "The API root {url} answered with bytes that are not text, not a description of the API. The built-in catalogue stays in use."
        ))
    })?;
    if text.trim_start().starts_with('<') {
        return Err(EngineError::InvalidInput(format!(
            "The API root {url} answered with a web page, not a description of the API (OpenAPI or Swagger JSON). The built-in catalogue stays in use."
        )));
    }
    enrich_from_openapi(catalogue, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_keeps_the_base_path() {
        let u = |s: &str| description_url(&Url::parse(s).unwrap()).to_string();
        assert_eq!(u("https://api.scopestack.io"), "https://api.scopestack.io/");
        assert_eq!(u("http://127.0.0.1:3000/api?x=1"), "http://127.0.0.1:3000/api/");
    }
}
