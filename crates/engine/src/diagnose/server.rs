//! Server-side failures shared by token and API requests: errors (500), unavailability and
//! maintenance pages (502, 503, 504), and rate limiting (429 with `Retry-After`).

use super::body;
use super::codes::*;
use super::diagnosis::{Diagnosis, Fix};

/// 5xx: `page` is the body's text when it is a web page.
pub fn failure(status: u16, page: Option<&str>, retry_after: Option<u64>) -> Diagnosis {
    let maintenance = page.is_some_and(|p| body::html_origin_hint(p) == Some("maintenance"));
    let title = page.and_then(body::html_title);
    let mut d = if maintenance {
        Diagnosis::new(SERVER_MAINTENANCE, "ScopeStack is down for maintenance")
            .cause(format!("The server answered {status} with a maintenance page{}.", title.map(|t| format!(" (\"{t}\")")).unwrap_or_default()))
            .step("Wait until the maintenance is over, then try again. Nothing is wrong with your settings.")
    } else if matches!(status, 502..=504) {
        Diagnosis::new(SERVER_UNAVAILABLE, format!("The server is not available right now ({status})"))
            .cause(match status {
                502 => {
                    "A gateway in front of ScopeStack got no proper answer from it (502 Bad Gateway): the service may be restarting or overloaded."
                }
                503 => "The service is temporarily unavailable (503): overloaded, restarting or in maintenance.",
                _ => "A gateway in front of ScopeStack waited too long for it (504 Gateway Timeout).",
            })
            .step("Wait a few minutes and try again. Nothing is wrong with your settings.")
    } else {
        Diagnosis::new(SERVER_ERROR, format!("The server had an internal error ({status})"))
            .cause(format!("The server failed while handling the request ({status}). This is a problem on the server's side."))
            .step("Try again in a moment.")
            .step("If it keeps happening with the same request, send the details to ScopeStack support.")
    };
    if page.is_some() && !maintenance {
        d = d.cause("The answer was a web page rather than data, as error pages of web servers and gateways are.");
    }
    d = d.step(
        "If the problem lasts, check ScopeStack's status page or contact ScopeStack support.",
    );
    match retry_after {
        Some(seconds) => d.fix(Fix::RetryAfter { seconds }),
        None => d.fix(Fix::Retry),
    }
}

/// 429: too many requests in a short time.
pub fn rate_limited(retry_after: Option<u64>) -> Diagnosis {
    let d = Diagnosis::new(API_RATE_LIMITED, "Too many requests in a short time")
        .cause("ScopeStack limits how many requests may be sent in a short time, and this limit was reached (429 Too Many Requests).");
    match retry_after {
        Some(seconds) => d
            .cause(format!("The server asks to wait {seconds} seconds before the next request."))
            .step(format!("Wait {seconds} seconds, then try again."))
            .step("For scripts and automations: slow down, and wait as long as the server asks after each 429.")
            .fix(Fix::RetryAfter { seconds }),
        None => {
            d.step("Wait a minute, then try again.").step("For scripts and automations: slow down, and wait longer after each 429.").fix(Fix::Retry)
        }
    }
}
