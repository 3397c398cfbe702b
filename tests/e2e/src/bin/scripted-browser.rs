//! A stand-in for the system browser in end-to-end tests: the app opens it through `$BROWSER`
//! with the sign-in address, and it behaves like a person at the sandbox's sign-in page —
//! enters the email and password (and the one-time code for the MFA user), or presses Deny, or
//! does nothing — then follows the redirect to the app's loopback listener, as a browser would.
//!
//! Set by the test in the app's environment:
//! - `SCRIPTED_BROWSER_EMAIL`, `SCRIPTED_BROWSER_PASSWORD`, `SCRIPTED_BROWSER_OTP` (optional);
//! - `SCRIPTED_BROWSER_ACTION`: `sign_in` (default), `deny`, or `ignore`;
//! - `SCRIPTED_BROWSER_LOG`: a file where each step is appended, for the test to read.

use std::io::Write as _;

fn log(line: &str) {
    if let Ok(path) = std::env::var("SCRIPTED_BROWSER_LOG") {
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(f, "{line}");
        }
    }
}

/// The hidden inputs of a form, as name/value pairs.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for piece in html.split("<input type=\"hidden\" name=\"").skip(1) {
        let Some((name, rest)) = piece.split_once('"') else { continue };
        let Some(value) =
            rest.strip_prefix(" value=\"").and_then(|r| r.split_once('"')).map(|(v, _)| v)
        else {
            continue;
        };
        out.push((unescape(name), unescape(value)));
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(start) = std::env::args().nth(1) else {
        log("error: no address given");
        std::process::exit(2);
    };
    log(&format!("open {start}"));
    let action = std::env::var("SCRIPTED_BROWSER_ACTION").unwrap_or_else(|_| "sign_in".into());
    if action == "ignore" {
        log("ignored");
        return;
    }
    if let Err(e) = run(&start, &action).await {
        log(&format!("error: {e}"));
        std::process::exit(1);
    }
}

async fn run(start: &str, action: &str) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let start = url::Url::parse(start).map_err(|e| e.to_string())?;
    let page = http
        .get(start.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let form_url = start.join("/oauth/authorize").map_err(|e| e.to_string())?;
    let mut fields = hidden_fields(&page);
    if action == "deny" {
        fields.push(("deny".into(), "1".into()));
    } else {
        fields.push(("email".into(), std::env::var("SCRIPTED_BROWSER_EMAIL").unwrap_or_default()));
        fields.push((
            "password".into(),
            std::env::var("SCRIPTED_BROWSER_PASSWORD").unwrap_or_default(),
        ));
        fields.push(("sign_in".into(), "1".into()));
    }
    let mut response =
        http.post(form_url.clone()).form(&fields).send().await.map_err(|e| e.to_string())?;
    if response.status() == 200 {
        let page = response.text().await.map_err(|e| e.to_string())?;
        if !page.contains("one_time_code") {
            return Err(format!(
                "expected a redirect or the one-time code page, got: {}",
                &page[..page.len().min(300)]
            ));
        }
        log("one-time code page");
        let mut fields = hidden_fields(&page);
        fields.push((
            "one_time_code".into(),
            std::env::var("SCRIPTED_BROWSER_OTP").unwrap_or_default(),
        ));
        fields.push(("verify".into(), "1".into()));
        response = http.post(form_url).form(&fields).send().await.map_err(|e| e.to_string())?;
    }
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or_else(|| format!("no redirect after signing in (status {})", response.status()))?
        .to_string();
    log(&format!("redirected to {location}"));
    let landed = http.get(&location).send().await.map_err(|e| e.to_string())?;
    let status = landed.status();
    let body = landed.text().await.unwrap_or_default();
    log(&format!("callback answered {status}: {}", body.contains("You can close this tab")));
    Ok(())
}
