//! Failures before any answer arrived: names that do not resolve, refused, reset or dropped
//! connections, timeouts, certificate and TLS problems, and proxies — read from the engine's
//! `Network` error (see `http::classify_reqwest`).

use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use crate::error::NetworkFailure;

/// The diagnosis of a network failure reaching `url`.
pub fn diagnose(url: &str, failure: NetworkFailure, detail: &str, ctx: &Context) -> Diagnosis {
    let lower = detail.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let parsed = url::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string());
    let local = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]" | "::1");
    let field = Fix::OpenSettings { field: url_field(url, ctx) };
    match failure {
        NetworkFailure::Timeout if has(&["could not be made in time"]) => Diagnosis::new(NET_TIMEOUT_CONNECT, format!("Could not connect to {host} in time"))
            .cause("The connection attempt got no answer: the server may be down, or a firewall silently drops the traffic.")
            .cause("Your internet connection or VPN may be down.")
            .step("Check your internet connection (and VPN, if your company uses one), then try again.")
            .fix(Fix::Retry)
            .fix(field),
        NetworkFailure::Timeout if has(&["stopped before the answer was complete"]) => Diagnosis::new(NET_TIMEOUT_STALLED, format!("{host} stopped in the middle of its answer"))
            .cause("The server started answering, then nothing more came: the connection may have stalled, or the server got stuck.")
            .step("Try again. If it keeps happening, try another network or ask your IT team about proxies.")
            .fix(Fix::Retry),
        NetworkFailure::Timeout => Diagnosis::new(NET_TIMEOUT_NO_ANSWER, format!("{host} did not answer in time"))
            .cause("The connection was made, but the server did not answer within the time limit: it may be overloaded or stuck.")
            .cause("A proxy or firewall may be holding the request.")
            .step("Try again in a moment.")
            .fix(Fix::Retry),
        NetworkFailure::Tls => tls(&host, &lower, field),
        _ if has(&["proxy server refused", "proxy authentication", "unsuccessful tunnel", " 407"]) || (has(&["proxy", "tunnel"]) && failure == NetworkFailure::Connect) => {
            let auth = has(&["407", "authentication"]);
            Diagnosis::new(if auth { NET_PROXY_AUTH_REQUIRED } else { NET_PROXY }, if auth { "The proxy server wants a sign-in" } else { "The proxy server did not connect to ScopeStack" })
                .cause(if auth {
                    "Your network sends traffic through a proxy server, and the proxy asked for a user name and password the app did not have."
                } else {
                    "Your network sends traffic through a proxy server, and the proxy refused or failed to connect to the server."
                })
                .cause("The proxy settings may be out of date (the HTTPS_PROXY and NO_PROXY environment variables).")
                .step("Ask your IT team which proxy to use and whether app.scopestack.io and api.scopestack.io are allowed.")
                .step("If the proxy needs a password, put it in the proxy address: http://user:password@proxy:port.")
                .fix(Fix::Retry)
        }
        _ if has(&["name could not be found", "dns", "lookup", "resolve"]) => {
            let d = Diagnosis::new(NET_DNS, format!("The address {host} could not be found"))
                .cause(format!("The name \"{host}\" could not be looked up: it may be mistyped, or this computer is offline."));
            let d = if host.contains("scopestack") && !matches!(host.as_str(), "app.scopestack.io" | "api.scopestack.io") {
                d.cause("ScopeStack's addresses are app.scopestack.io (sign-in and tokens) and api.scopestack.io (the API).")
            } else {
                d
            };
            d.cause("A VPN or company network may hide this name.")
                .step("Check the spelling of the address in the settings.")
                .step("Check that this computer is online: open https://app.scopestack.io in your browser.")
                .fix(field)
                .fix(Fix::Retry)
        }
        _ if has(&["refused"]) => {
            let d = Diagnosis::new(NET_CONNECTION_REFUSED, format!("Nothing answers at {host}"))
                .cause("The connection was refused: no program is listening at that address and port.");
            let d = if local {
                d.cause("The address is this computer: the program that should answer there (the built-in sandbox, or a local test server) is not running, or uses another port.")
            } else {
                d.cause("The port in the address may be wrong, or the service is down.")
            };
            d.step("Check the address and port in the settings.").step("If it is a local server, start it, then try again.").fix(field).fix(Fix::Retry)
        }
        _ if has(&["reset"]) => Diagnosis::new(NET_CONNECTION_RESET, format!("The connection to {host} was cut off"))
            .cause("The other side ended the connection abruptly (a \"reset\"). A firewall, a proxy, antivirus software or an overloaded server can do this.")
            .step("Try again.")
            .step("If it repeats, try another network, or ask your IT team whether something blocks scopestack.io.")
            .fix(Fix::Retry),
        _ if has(&["closed the connection", "closed before", "incomplete", "end of file", "eof"]) => Diagnosis::new(NET_CONNECTION_CLOSED, format!("{host} hung up before answering"))
            .cause("The server closed the connection before its answer was complete. It may have restarted, or a proxy dropped the connection.")
            .step("Try again.")
            .fix(Fix::Retry),
        _ if has(&["decoding response body", "error reading a body", "chunk"]) => Diagnosis::new(RESPONSE_DAMAGED, format!("The answer from {host} arrived damaged"))
            .cause("The answer started, but its body was broken on the way (cut short, or wrongly packed by the server or a proxy).")
            .step("Try again; if it repeats, try another network.")
            .fix(Fix::Retry),
        _ if has(&["invalid http", "parsed", "message head is too large", "invalid status", "invalid header"]) => Diagnosis::new(NET_NOT_HTTP, format!("{host} does not answer like a web server"))
            .cause("Something answers at that address and port, but not in the language of the web (HTTP): it may be another kind of service, or the port is wrong.")
            .step("Check the address and port in the settings.")
            .fix(field),
        _ => Diagnosis::new(NET_OTHER, format!("Could not talk to {host}"))
            .cause("The connection failed for a reason shown in the details below.")
            .step("Check the address, your internet connection and any proxy or VPN, then try again.")
            .fix(field)
            .fix(Fix::Retry),
    }
}

fn tls(host: &str, lower: &str, field: Fix) -> Diagnosis {
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&[
        "corrupt message",
        "invalidcontenttype",
        "wrong version",
        "when expecting",
        "unexpected message",
        "invalidmessage",
    ]) {
        Diagnosis::new(NET_TLS_NOT_TLS, format!("{host} does not speak the secure protocol (https) at that address"))
            .cause("The address starts with https://, but the server at that port answered in another language — often plain http://, or a service that is not a web server.")
            .cause("The port number in the address may be wrong.")
            .step("Check the address: if it is a local test server, it may need http:// instead of https://; for ScopeStack, leave out the port.")
            .fix(field)
    } else if has(&["expired", "not valid yet", "notvalidyet", "not yet valid"]) {
        Diagnosis::new(NET_TLS_CERTIFICATE_DATE, format!("The security certificate of {host} is out of date — or this computer's clock is wrong"))
            .cause("The server's certificate is not valid at this computer's current date and time. The most common reason is a wrong date or time on this computer.")
            .cause("Otherwise, the server's certificate has really expired, and its owners must renew it.")
            .step("Check the date, time and time zone of this computer (set them automatically), then try again.")
            .fix(Fix::Retry)
    } else if has(&[
        "notvalidforname",
        "not valid for name",
        "not valid for",
        "hostname",
        "name mismatch",
        "subject",
    ]) {
        Diagnosis::new(NET_TLS_HOSTNAME_MISMATCH, format!("The security certificate does not belong to {host}"))
            .cause("The server presented a certificate for another name. The address may be slightly wrong, or something in between (a proxy) answers for it.")
            .step("Check the address in the settings: ScopeStack's are app.scopestack.io and api.scopestack.io.")
            .fix(field)
    } else if has(&[
        "unknownissuer",
        "unknown issuer",
        "self-signed",
        "self signed",
        "unknown ca",
        "untrusted",
        "badsignature",
        "invalid peer certificate",
    ]) {
        Diagnosis::new(NET_TLS_UNTRUSTED_CERTIFICATE, format!("This computer does not trust the security certificate of {host}"))
            .cause("The certificate was issued by an authority this computer does not know. Company networks that inspect encrypted traffic (a \"TLS-inspecting\" proxy such as Zscaler) replace certificates with their own.")
            .cause("If the address is a test server, its certificate may be self-made.")
            .step("On a company network: ask your IT team to install the company's root certificate in the system's certificate store. The app trusts the system's certificates.")
            .step("Otherwise, check that the address is right; never ignore this warning for ScopeStack's own addresses.")
            .fix(Fix::Retry)
    } else {
        Diagnosis::new(NET_TLS_HANDSHAKE, format!("The secure connection to {host} failed"))
            .cause("This computer and the server could not agree on a secure (https) connection. A proxy or firewall in between may interfere.")
            .step("Try again; if it repeats, try another network or ask your IT team.")
            .fix(Fix::Retry)
    }
}

/// Which setting an address belongs to.
pub fn url_field(url: &str, ctx: &Context) -> SettingsField {
    let path = url::Url::parse(url)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    if path.ends_with("/oauth/token")
        || path.ends_with("/revoke")
        || (ctx.is_token_request() && ctx.url.as_deref().is_none_or(|u| u == url))
    {
        SettingsField::TokenUrl
    } else if path.ends_with("/oauth/authorize") {
        SettingsField::AuthorizeUrl
    } else if path.ends_with("/v1/me") {
        SettingsField::ApiUrl
    } else {
        SettingsField::RequestUrl
    }
}
