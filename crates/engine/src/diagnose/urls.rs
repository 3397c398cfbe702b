//! ScopeStack's addresses: which host serves tokens and which the API, and account-scoped paths
//! that lack the account slug (`/v1/projects` instead of `/{slug}/v1/projects`).

use url::Url;

/// The host that hands out tokens (sign-in, `/oauth/token`).
pub const APP_HOST: &str = "app.scopestack.io";
/// The host of the API.
pub const API_HOST: &str = "api.scopestack.io";

/// Which of ScopeStack's two kinds of host a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostRole {
    /// `app.…scopestack.io`: sign-in and tokens.
    App,
    /// `api.…scopestack.io`: the API.
    Api,
}

/// The role of a ScopeStack host (`app.scopestack.io`, `api.staging.scopestack.io`, ...).
pub fn host_role(url: &Url) -> Option<HostRole> {
    let host = url.host_str()?.to_ascii_lowercase();
    if !(host == "scopestack.io" || host.ends_with(".scopestack.io")) {
        return None;
    }
    if host.starts_with("app.") {
        Some(HostRole::App)
    } else if host.starts_with("api.") {
        Some(HostRole::Api)
    } else {
        None
    }
}

/// The same URL on the other kind of host (`app.` ↔ `api.`).
pub fn swap_host(url: &Url, to: HostRole) -> Option<Url> {
    let host = url.host_str()?;
    let rest = host.split_once('.')?.1;
    let mut out = url.clone();
    let prefix = match to {
        HostRole::App => "app",
        HostRole::Api => "api",
    };
    out.set_host(Some(&format!("{prefix}.{rest}"))).ok()?;
    Some(out)
}

/// When a path starts with `/v1/{resource}` for a resource that belongs to an account (anything
/// but `me`), the resource: the account slug is missing in front of `/v1`.
pub fn missing_account_slug(url: &Url) -> Option<String> {
    missing_account_slug_under(url, None)
}

/// [`missing_account_slug`] for an API whose base URL has a path (`https://gw.example/scopestack`):
/// the path is read after that prefix.
pub fn missing_account_slug_under(url: &Url, api_base: Option<&Url>) -> Option<String> {
    let prefix: Vec<&str> = api_base
        .filter(|b| {
            b.host_str() == url.host_str()
                && b.port_or_known_default() == url.port_or_known_default()
        })
        .and_then(|b| b.path_segments())
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let all: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    if !all.starts_with(&prefix) {
        return None;
    }
    let mut segments = all.into_iter().skip(prefix.len());
    if segments.next()? != "v1" {
        return None;
    }
    let resource = segments.next()?;
    (resource != "me" && resource != "mes").then(|| resource.to_string())
}

/// The URL with `{account-slug}` put in front of its `/v1/...` path.
pub fn with_slug_placeholder(url: &Url) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path();
    let path = match path.find("/v1/").or_else(|| path.ends_with("/v1").then(|| path.len() - 3)) {
        Some(at) => format!("{}/{{account-slug}}{}", &path[..at], &path[at..]),
        None => format!("/{{account-slug}}{path}"),
    };
    format!("{}://{}{port}{path}", url.scheme(), url.host_str().unwrap_or(""))
}

/// Parses a URL the way a user would type it; `None` when it is not an address.
pub fn parse_loose(text: &str) -> Option<Url> {
    Url::parse(text.trim()).ok().filter(|u| u.has_host())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn hosts_and_their_roles() {
        assert_eq!(host_role(&u("https://app.scopestack.io/oauth/token")), Some(HostRole::App));
        assert_eq!(host_role(&u("https://API.scopestack.io")), Some(HostRole::Api));
        assert_eq!(host_role(&u("https://api.example.com")), None);
        assert_eq!(
            swap_host(&u("https://app.scopestack.io/x"), HostRole::Api).unwrap().as_str(),
            "https://api.scopestack.io/x"
        );
    }

    #[test]
    fn account_paths_without_a_slug() {
        assert_eq!(
            missing_account_slug(&u("https://api.scopestack.io/v1/projects?x=1")).as_deref(),
            Some("projects")
        );
        assert_eq!(missing_account_slug(&u("https://api.scopestack.io/v1/me")), None);
        assert_eq!(missing_account_slug(&u("https://api.scopestack.io/acme/v1/projects")), None);
        assert_eq!(
            with_slug_placeholder(&u("https://api.scopestack.io/v1/projects")),
            "https://api.scopestack.io/{account-slug}/v1/projects"
        );
    }
}
