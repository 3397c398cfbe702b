//! The HTML pages of the browser login: sign-in, one-time code, "continue as", and errors.
//! Self-contained (no external assets); every echoed value is HTML-escaped.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::demo::{Role, SeedUser};

/// The authorization request carried from page to page in hidden fields.
pub(crate) type Hidden = Vec<(&'static str, String)>;

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;min-height:100vh;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
background:#f3f5f9;color:#1d2433;display:flex;flex-direction:column;align-items:center}\
.banner{width:100%;background:#fff4d6;color:#6b4e00;text-align:center;padding:6px 12px;font-size:13px;\
border-bottom:1px solid #f0dca0}\
.card{background:#fff;width:min(420px,92vw);margin:48px 0 16px;padding:28px 32px;border-radius:12px;\
box-shadow:0 2px 12px rgba(20,30,60,.08)}\
.brand{font-weight:700;font-size:20px;color:#2b4fd8;margin-bottom:4px}\
.brand span{font-weight:500;font-size:12px;color:#6b4e00;background:#fff4d6;border-radius:4px;\
padding:1px 6px;margin-left:6px;vertical-align:middle}\
h1{font-size:20px;margin:12px 0 4px}p{margin:6px 0 14px}.muted{color:#5b6478;font-size:13px}\
label{display:block;font-weight:600;margin:12px 0 4px}\
input[type=email],input[type=password],input[type=text]{width:100%;padding:9px 11px;font:inherit;\
border:1px solid #c8cfdc;border-radius:8px}\
input:focus{outline:2px solid #2b4fd8;outline-offset:1px}\
.actions{display:flex;gap:10px;margin-top:20px;flex-wrap:wrap}\
button{font:inherit;font-weight:600;padding:9px 18px;border-radius:8px;border:1px solid #2b4fd8;\
background:#2b4fd8;color:#fff;cursor:pointer}\
button.secondary{background:#fff;color:#2b4fd8}button.link{border:none;background:none;color:#2b4fd8;\
padding:9px 4px;text-decoration:underline}\
.alert{background:#fdecec;color:#8a1c1c;border:1px solid #f3c0c0;border-radius:8px;padding:8px 12px}\
.note{background:#eef3ff;border:1px solid #cdd9fb;border-radius:8px;padding:8px 12px;font-size:13px}\
pre{white-space:pre-wrap;background:#f6f7fa;padding:10px;border-radius:8px}\
details{width:min(420px,92vw);font-size:13px;color:#5b6478;margin-bottom:32px}\
table{border-collapse:collapse;width:100%}td{padding:3px 6px;border-top:1px solid #e3e7ef}\
code{font-size:12px}";

fn page(status: StatusCode, title: &str, body: &str, extra: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · ScopeStack Sandbox</title><style>{STYLE}</style></head><body>\
<div class=\"banner\" id=\"sandbox-banner\">Sandbox: a local stand-in for ScopeStack. Nothing here is real.</div>\
<main class=\"card\"><div class=\"brand\">ScopeStack<span>sandbox</span></div>{body}</main>{extra}</body></html>\n",
        escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::REFERRER_POLICY, "no-referrer"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

fn hidden_inputs(hidden: &Hidden) -> String {
    hidden
        .iter()
        .map(|(name, value)| {
            format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(value))
        })
        .collect()
}

fn alert(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"alert\" role=\"alert\" id=\"error\">{}</p>", escape(e)))
        .unwrap_or_default()
}

fn wants_access(client_name: &str) -> String {
    format!(
        "<p class=\"muted\" id=\"client-name\"><strong>{}</strong> wants to access your ScopeStack account.</p>",
        escape(client_name)
    )
}

/// Doorkeeper's error page, shown instead of redirecting when the client or callback is wrong.
pub(crate) fn error_page(
    status: StatusCode,
    code: &str,
    description: &str,
    note: Option<&str>,
) -> Response {
    let note = note
        .map(|n| format!("<p class=\"note\" id=\"sandbox-note\">Sandbox note: {}</p>", escape(n)))
        .unwrap_or_default();
    let body = format!(
        "<h1>An error has occurred</h1><p><code id=\"error-code\">{}</code></p>\
<pre id=\"error-description\">{}</pre>{note}",
        escape(code),
        escape(description)
    );
    page(status, "An error has occurred", &body, "")
}

/// The email and password form.
pub(crate) fn login_page(
    status: StatusCode,
    hidden: &Hidden,
    client_name: &str,
    email: &str,
    error: Option<&str>,
    demo_users: &[SeedUser],
) -> Response {
    let body = format!(
        "<h1>Sign in</h1>{}{}<form method=\"post\" action=\"/oauth/authorize\" id=\"login-form\">{}\
<label for=\"email\">Email</label>\
<input type=\"email\" id=\"email\" name=\"email\" value=\"{}\" autocomplete=\"username\" required autofocus>\
<label for=\"password\">Password</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<div class=\"actions\"><button type=\"submit\" id=\"sign_in\" name=\"sign_in\" value=\"1\">Sign in</button>\
<button type=\"submit\" id=\"deny\" name=\"deny\" value=\"1\" class=\"secondary\" formnovalidate>Deny</button>\
</div></form>",
        wants_access(client_name),
        alert(error),
        hidden_inputs(hidden),
        escape(email)
    );
    let rows: String = demo_users
        .iter()
        .map(|u| {
            let code =
                u.one_time_code().map(|c| format!(", code <code>{c}</code>")).unwrap_or_default();
            format!(
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}{code}</td></tr>",
                escape(u.email),
                escape(&u.password),
                role_label(u.role)
            )
        })
        .collect();
    let extra = format!(
        "<details id=\"demo-accounts\"><summary>Demo accounts</summary><table>{rows}</table></details>"
    );
    page(status, "Sign in", &body, &extra)
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::ReadOnly => "read-only",
        Role::Deactivated => "deactivated",
        Role::Mfa => "mfa",
    }
}

/// The second step for users with multi-factor authentication.
pub(crate) fn mfa_page(
    status: StatusCode,
    hidden: &Hidden,
    client_name: &str,
    ticket: &str,
    error: Option<&str>,
) -> Response {
    let body = format!(
        "<h1>Enter your one-time code</h1>{}{}\
<p>Open your authenticator app and type the 6-digit one-time code it shows.</p>\
<form method=\"post\" action=\"/oauth/authorize\" id=\"mfa-form\">{}\
<input type=\"hidden\" name=\"mfa_ticket\" value=\"{}\">\
<label for=\"one_time_code\">One-time code</label>\
<input type=\"text\" id=\"one_time_code\" name=\"one_time_code\" inputmode=\"numeric\" \
autocomplete=\"one-time-code\" required autofocus>\
<div class=\"actions\"><button type=\"submit\" id=\"verify\" name=\"verify\" value=\"1\">Verify</button>\
<button type=\"submit\" id=\"deny\" name=\"deny\" value=\"1\" class=\"secondary\" formnovalidate>Deny</button>\
</div></form>",
        wants_access(client_name),
        alert(error),
        hidden_inputs(hidden),
        escape(ticket)
    );
    page(status, "One-time code", &body, "")
}

/// Shown when a signed-in session exists: continue, deny, or sign in as someone else.
pub(crate) fn continue_page(
    hidden: &Hidden,
    client_name: &str,
    user_name: &str,
    user_email: &str,
) -> Response {
    let body = format!(
        "<h1>Continue as {}?</h1>{}\
<p class=\"muted\" id=\"signed-in-as\">Signed in as {} ({}).</p>\
<form method=\"post\" action=\"/oauth/authorize\" id=\"continue-form\">{}\
<div class=\"actions\"><button type=\"submit\" id=\"authorize\" name=\"authorize\" value=\"1\">Continue as {}</button>\
<button type=\"submit\" id=\"deny\" name=\"deny\" value=\"1\" class=\"secondary\">Deny</button>\
<button type=\"submit\" id=\"switch_account\" name=\"switch_account\" value=\"1\" class=\"link\">Sign in as someone else</button>\
</div></form>",
        escape(user_name),
        wants_access(client_name),
        escape(user_name),
        escape(user_email),
        hidden_inputs(hidden),
        escape(user_name)
    );
    page(StatusCode::OK, "Continue", &body, "")
}
