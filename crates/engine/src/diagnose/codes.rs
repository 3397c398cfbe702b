//! Every diagnosis and warning code, in one list. Codes are stable: front ends and tests may
//! depend on them, so a code is never renamed or reused for another meaning.

// Token endpoint: OAuth errors (`error` in the answer)
pub const OAUTH_INVALID_CLIENT: &str = "oauth.invalid_client";
pub const OAUTH_INVALID_CLIENT_WHITESPACE: &str = "oauth.invalid_client.whitespace";
pub const OAUTH_INVALID_CLIENT_LOOKALIKE_CHARACTERS: &str =
    "oauth.invalid_client.lookalike_characters";
pub const OAUTH_INVALID_CLIENT_UNUSUAL_CHARACTERS: &str = "oauth.invalid_client.unusual_characters";
pub const OAUTH_INVALID_GRANT: &str = "oauth.invalid_grant";
pub const OAUTH_INVALID_GRANT_REDIRECT_URI_WITH_PASSWORD: &str =
    "oauth.invalid_grant.redirect_uri_with_password";
pub const OAUTH_INVALID_GRANT_PASSWORD: &str = "oauth.invalid_grant.password";
pub const OAUTH_INVALID_GRANT_AUTHORIZATION_CODE: &str = "oauth.invalid_grant.authorization_code";
pub const OAUTH_INVALID_GRANT_REFRESH_TOKEN: &str = "oauth.invalid_grant.refresh_token";
pub const OAUTH_INVALID_GRANT_CLIENT_CREDENTIALS: &str = "oauth.invalid_grant.client_credentials";
pub const OAUTH_UNAUTHORIZED_CLIENT: &str = "oauth.unauthorized_client";
pub const OAUTH_UNSUPPORTED_GRANT_TYPE: &str = "oauth.unsupported_grant_type";
pub const OAUTH_INVALID_SCOPE: &str = "oauth.invalid_scope";
pub const OAUTH_INVALID_REQUEST: &str = "oauth.invalid_request";
pub const OAUTH_ACCESS_DENIED: &str = "oauth.access_denied";
pub const OAUTH_SERVER_ERROR: &str = "oauth.server_error";
pub const OAUTH_OTHER: &str = "oauth.other";
pub const OAUTH_REVOKE_INVALID_CLIENT: &str = "oauth.revoke.invalid_client";
pub const OAUTH_REVOKE_REFUSED: &str = "oauth.revoke.refused";

// Browser sign-in
pub const SIGNIN_DENIED: &str = "signin.denied";
pub const SIGNIN_REFUSED: &str = "signin.refused";
pub const SIGNIN_STATE_MISMATCH: &str = "signin.state_mismatch";
pub const SIGNIN_BAD_CALLBACK_URL: &str = "signin.bad_callback_url";
pub const SIGNIN_PORT_IN_USE: &str = "signin.port_in_use";
pub const SIGNIN_TIMED_OUT: &str = "signin.timed_out";
pub const SIGNIN_CANCELLED: &str = "signin.cancelled";
pub const SIGNIN_BROWSER_NOT_OPENED: &str = "signin.browser_not_opened";

// Token custody: where secrets and requests may go
pub const CUSTODY_SECRET_GIVEN_ELSEWHERE: &str = "custody.secret_given_elsewhere";
pub const CUSTODY_INSECURE_DESTINATION: &str = "custody.insecure_destination";
pub const CUSTODY_PAGE_LINK_ELSEWHERE: &str = "custody.page_link_elsewhere";

// Token endpoint: answers that are not a usable token
pub const TOKEN_RESPONSE_REDIRECT: &str = "token_response.redirect";
pub const TOKEN_RESPONSE_NOT_FOUND: &str = "token_response.not_found";
pub const TOKEN_RESPONSE_UNEXPECTED_STATUS: &str = "token_response.unexpected_status";
pub const TOKEN_RESPONSE_HTML_PAGE: &str = "token_response.html_page";
pub const TOKEN_RESPONSE_EMPTY_BODY: &str = "token_response.empty_body";
pub const TOKEN_RESPONSE_WRONG_CONTENT_TYPE: &str = "token_response.wrong_content_type";
pub const TOKEN_RESPONSE_NOT_JSON: &str = "token_response.not_json";
pub const TOKEN_RESPONSE_TRUNCATED_JSON: &str = "token_response.truncated_json";
pub const TOKEN_RESPONSE_INVALID_UTF8: &str = "token_response.invalid_utf8";
pub const TOKEN_RESPONSE_TOO_LARGE: &str = "token_response.too_large";
pub const TOKEN_RESPONSE_MISSING_ACCESS_TOKEN: &str = "token_response.missing_access_token";
pub const TOKEN_RESPONSE_EMPTY_ACCESS_TOKEN: &str = "token_response.empty_access_token";
pub const TOKEN_RESPONSE_MISSING_TOKEN_TYPE: &str = "token_response.missing_token_type";
pub const TOKEN_RESPONSE_NOT_BEARER: &str = "token_response.not_bearer";
pub const TOKEN_RESPONSE_INVALID_FIELD: &str = "token_response.invalid_field";

// The stored token
pub const TOKEN_MISSING: &str = "token.missing";
pub const TOKEN_REFRESH_TOKEN_EXPIRED: &str = "token.refresh_token_expired";
pub const TOKEN_CANNOT_RENEW: &str = "token.cannot_renew";

// API answers
pub const API_UNAUTHORIZED: &str = "api.unauthorized";
pub const API_UNAUTHORIZED_NO_TOKEN: &str = "api.unauthorized.no_token";
pub const API_UNAUTHORIZED_EXPIRED: &str = "api.unauthorized.expired";
pub const API_UNAUTHORIZED_REVOKED: &str = "api.unauthorized.revoked";
pub const API_UNAUTHORIZED_TOKEN_IS_JSON: &str = "api.unauthorized.token_is_json";
pub const API_UNAUTHORIZED_MALFORMED_TOKEN: &str = "api.unauthorized.malformed_token";
pub const API_UNAUTHORIZED_CLOCK_SKEW: &str = "api.unauthorized.clock_skew";
pub const API_FORBIDDEN: &str = "api.forbidden";
pub const API_FORBIDDEN_SCOPE: &str = "api.forbidden.scope";
pub const API_FORBIDDEN_ROLE: &str = "api.forbidden.role";
pub const API_NOT_FOUND: &str = "api.not_found";
pub const API_NOT_FOUND_MISSING_ACCOUNT_SLUG: &str = "api.not_found.missing_account_slug";
pub const API_NOT_FOUND_WRONG_API_URL: &str = "api.not_found.wrong_api_url";
pub const API_METHOD_NOT_ALLOWED: &str = "api.method_not_allowed";
pub const API_ACCEPT_HEADER_MISSING: &str = "api.accept_header.missing";
pub const API_ACCEPT_HEADER_WRONG: &str = "api.accept_header.wrong";
pub const API_CONTENT_TYPE_HEADER_MISSING: &str = "api.content_type_header.missing";
pub const API_CONTENT_TYPE_HEADER_WRONG: &str = "api.content_type_header.wrong";
pub const API_BAD_REQUEST: &str = "api.bad_request";
pub const API_VALIDATION_FAILED: &str = "api.validation_failed";
pub const API_CONFLICT: &str = "api.conflict";
pub const API_RATE_LIMITED: &str = "api.rate_limited";
pub const API_CLIENT_ERROR: &str = "api.client_error";

// Server failures
pub const SERVER_ERROR: &str = "server.error";
pub const SERVER_UNAVAILABLE: &str = "server.unavailable";
pub const SERVER_MAINTENANCE: &str = "server.maintenance";

// Answers of the wrong form, wherever they come from
pub const RESPONSE_REDIRECT: &str = "response.redirect";
pub const RESPONSE_HTML_PAGE: &str = "response.html_page";
pub const RESPONSE_EMPTY_BODY: &str = "response.empty_body";
pub const RESPONSE_WRONG_CONTENT_TYPE: &str = "response.wrong_content_type";
pub const RESPONSE_NOT_JSON: &str = "response.not_json";
pub const RESPONSE_INVALID_UTF8: &str = "response.invalid_utf8";
pub const RESPONSE_TOO_LARGE: &str = "response.too_large";
pub const RESPONSE_DAMAGED: &str = "response.damaged";
pub const RESPONSE_UNUSABLE: &str = "response.unusable";

// The network, before any answer
pub const NET_DNS: &str = "net.dns";
pub const NET_CONNECTION_REFUSED: &str = "net.connection_refused";
pub const NET_CONNECTION_RESET: &str = "net.connection_reset";
pub const NET_CONNECTION_CLOSED: &str = "net.connection_closed";
pub const NET_TIMEOUT_CONNECT: &str = "net.timeout.connect";
pub const NET_TIMEOUT_NO_ANSWER: &str = "net.timeout.no_answer";
pub const NET_TIMEOUT_STALLED: &str = "net.timeout.stalled";
pub const NET_TLS_UNTRUSTED_CERTIFICATE: &str = "net.tls.untrusted_certificate";
pub const NET_TLS_CERTIFICATE_DATE: &str = "net.tls.certificate_date";
pub const NET_TLS_HOSTNAME_MISMATCH: &str = "net.tls.hostname_mismatch";
pub const NET_TLS_NOT_TLS: &str = "net.tls.not_tls";
pub const NET_TLS_HANDSHAKE: &str = "net.tls.handshake";
pub const NET_NOT_HTTP: &str = "net.not_http";
pub const NET_PROXY: &str = "net.proxy";
pub const NET_PROXY_AUTH_REQUIRED: &str = "net.proxy.auth_required";
pub const NET_OTHER: &str = "net.other";

// The connection check (doctor)
pub const CHECK_UNREACHABLE: &str = "check.unreachable";
pub const CHECK_TLS_INSPECTION: &str = "check.tls_inspection";
pub const CHECK_CLOCK_SKEW: &str = "check.clock_skew";
pub const CHECK_TOKEN_ENDPOINT: &str = "check.token_endpoint";
pub const CHECK_API_UNPROTECTED: &str = "check.api_unprotected";
pub const CHECK_API_ANSWER: &str = "check.api_answer";

// The system keychain
pub const KEYCHAIN_LOCKED: &str = "keychain.locked";
pub const KEYCHAIN_UNAVAILABLE: &str = "keychain.unavailable";
pub const KEYCHAIN_FAILED: &str = "keychain.failed";
pub const KEYCHAIN_DAMAGED: &str = "keychain.damaged";
pub const KEYCHAIN_NO_ANSWER: &str = "keychain.no_answer";

// Settings and this computer
pub const INPUT_MISSING: &str = "input.missing";
pub const INPUT_INVALID: &str = "input.invalid";
pub const INPUT_INVALID_URL: &str = "input.invalid_url";
pub const INPUT_INSECURE_URL: &str = "input.insecure_url";
pub const INPUT_UNSUPPORTED_SCHEME: &str = "input.unsupported_scheme";
pub const INPUT_PROFILE_NAME_MISSING: &str = "input.profile_name_missing";
pub const INPUT_PROFILE_NAME_TAKEN: &str = "input.profile_name_taken";
pub const LOCAL_UNKNOWN_PROFILE: &str = "local.unknown_profile";
pub const LOCAL_SANDBOX_NOT_RUNNING: &str = "local.sandbox_not_running";
pub const LOCAL_NO_SETTINGS_FOLDER: &str = "local.no_settings_folder";
pub const LOCAL_FILE_ACCESS: &str = "local.file_access";
pub const LOCAL_PROFILES_FILE_DAMAGED: &str = "local.profiles_file_damaged";
pub const LOCAL_BUSY_ELSEWHERE: &str = "local.busy_elsewhere";
pub const LOCAL_OTHER: &str = "local.other";

// Warnings before sending (`check_input`)
pub const INPUT_TOKEN_IS_JSON: &str = "input.token_is_json";
pub const INPUT_TOKEN_HAS_BEARER_PREFIX: &str = "input.token_has_bearer_prefix";
pub const INPUT_TOKEN_QUOTED: &str = "input.token_quoted";
pub const INPUT_TOKEN_WHITESPACE: &str = "input.token_whitespace";
pub const INPUT_CLIENT_ID_WHITESPACE: &str = "input.client_id_whitespace";
pub const INPUT_CLIENT_ID_LOOKALIKE: &str = "input.client_id_lookalike";
pub const INPUT_URL_WITHOUT_SCHEME: &str = "input.url_without_scheme";
pub const INPUT_URL_NOT_HTTPS: &str = "input.url_not_https";
pub const INPUT_URL_WHITESPACE: &str = "input.url_whitespace";
pub const INPUT_API_URL_IS_APP_HOST: &str = "input.api_url_is_app_host";
pub const INPUT_TOKEN_URL_IS_API_HOST: &str = "input.token_url_is_api_host";
pub const INPUT_AUTHORIZE_URL_IS_API_HOST: &str = "input.authorize_url_is_api_host";
pub const INPUT_TOKEN_URL_PATH: &str = "input.token_url_path";
pub const INPUT_API_URL_HAS_PATH: &str = "input.api_url_has_path";
pub const INPUT_REQUEST_URL_MISSING_ACCOUNT_SLUG: &str = "input.request_url_missing_account_slug";
pub const INPUT_REQUEST_URL_IS_APP_HOST: &str = "input.request_url_is_app_host";

/// Every code above.
pub const ALL: &[&str] = &[
    OAUTH_INVALID_CLIENT,
    OAUTH_INVALID_CLIENT_WHITESPACE,
    OAUTH_INVALID_CLIENT_LOOKALIKE_CHARACTERS,
    OAUTH_INVALID_CLIENT_UNUSUAL_CHARACTERS,
    OAUTH_INVALID_GRANT,
    OAUTH_INVALID_GRANT_REDIRECT_URI_WITH_PASSWORD,
    OAUTH_INVALID_GRANT_PASSWORD,
    OAUTH_INVALID_GRANT_AUTHORIZATION_CODE,
    OAUTH_INVALID_GRANT_REFRESH_TOKEN,
    OAUTH_INVALID_GRANT_CLIENT_CREDENTIALS,
    OAUTH_UNAUTHORIZED_CLIENT,
    OAUTH_UNSUPPORTED_GRANT_TYPE,
    OAUTH_INVALID_SCOPE,
    OAUTH_INVALID_REQUEST,
    OAUTH_ACCESS_DENIED,
    OAUTH_SERVER_ERROR,
    OAUTH_OTHER,
    OAUTH_REVOKE_INVALID_CLIENT,
    OAUTH_REVOKE_REFUSED,
    SIGNIN_DENIED,
    SIGNIN_REFUSED,
    SIGNIN_STATE_MISMATCH,
    SIGNIN_BAD_CALLBACK_URL,
    SIGNIN_PORT_IN_USE,
    SIGNIN_TIMED_OUT,
    SIGNIN_CANCELLED,
    SIGNIN_BROWSER_NOT_OPENED,
    CUSTODY_SECRET_GIVEN_ELSEWHERE,
    CUSTODY_INSECURE_DESTINATION,
    CUSTODY_PAGE_LINK_ELSEWHERE,
    TOKEN_RESPONSE_REDIRECT,
    TOKEN_RESPONSE_NOT_FOUND,
    TOKEN_RESPONSE_UNEXPECTED_STATUS,
    TOKEN_RESPONSE_HTML_PAGE,
    TOKEN_RESPONSE_EMPTY_BODY,
    TOKEN_RESPONSE_WRONG_CONTENT_TYPE,
    TOKEN_RESPONSE_NOT_JSON,
    TOKEN_RESPONSE_TRUNCATED_JSON,
    TOKEN_RESPONSE_INVALID_UTF8,
    TOKEN_RESPONSE_TOO_LARGE,
    TOKEN_RESPONSE_MISSING_ACCESS_TOKEN,
    TOKEN_RESPONSE_EMPTY_ACCESS_TOKEN,
    TOKEN_RESPONSE_MISSING_TOKEN_TYPE,
    TOKEN_RESPONSE_NOT_BEARER,
    TOKEN_RESPONSE_INVALID_FIELD,
    TOKEN_MISSING,
    TOKEN_REFRESH_TOKEN_EXPIRED,
    TOKEN_CANNOT_RENEW,
    API_UNAUTHORIZED,
    API_UNAUTHORIZED_NO_TOKEN,
    API_UNAUTHORIZED_EXPIRED,
    API_UNAUTHORIZED_REVOKED,
    API_UNAUTHORIZED_TOKEN_IS_JSON,
    API_UNAUTHORIZED_MALFORMED_TOKEN,
    API_UNAUTHORIZED_CLOCK_SKEW,
    API_FORBIDDEN,
    API_FORBIDDEN_SCOPE,
    API_FORBIDDEN_ROLE,
    API_NOT_FOUND,
    API_NOT_FOUND_MISSING_ACCOUNT_SLUG,
    API_NOT_FOUND_WRONG_API_URL,
    API_METHOD_NOT_ALLOWED,
    API_ACCEPT_HEADER_MISSING,
    API_ACCEPT_HEADER_WRONG,
    API_CONTENT_TYPE_HEADER_MISSING,
    API_CONTENT_TYPE_HEADER_WRONG,
    API_BAD_REQUEST,
    API_VALIDATION_FAILED,
    API_CONFLICT,
    API_RATE_LIMITED,
    API_CLIENT_ERROR,
    SERVER_ERROR,
    SERVER_UNAVAILABLE,
    SERVER_MAINTENANCE,
    RESPONSE_REDIRECT,
    RESPONSE_HTML_PAGE,
    RESPONSE_EMPTY_BODY,
    RESPONSE_WRONG_CONTENT_TYPE,
    RESPONSE_NOT_JSON,
    RESPONSE_INVALID_UTF8,
    RESPONSE_TOO_LARGE,
    RESPONSE_DAMAGED,
    RESPONSE_UNUSABLE,
    NET_DNS,
    NET_CONNECTION_REFUSED,
    NET_CONNECTION_RESET,
    NET_CONNECTION_CLOSED,
    NET_TIMEOUT_CONNECT,
    NET_TIMEOUT_NO_ANSWER,
    NET_TIMEOUT_STALLED,
    NET_TLS_UNTRUSTED_CERTIFICATE,
    NET_TLS_CERTIFICATE_DATE,
    NET_TLS_HOSTNAME_MISMATCH,
    NET_TLS_NOT_TLS,
    NET_TLS_HANDSHAKE,
    NET_NOT_HTTP,
    NET_PROXY,
    NET_PROXY_AUTH_REQUIRED,
    NET_OTHER,
    CHECK_UNREACHABLE,
    CHECK_TLS_INSPECTION,
    CHECK_CLOCK_SKEW,
    CHECK_TOKEN_ENDPOINT,
    CHECK_API_UNPROTECTED,
    CHECK_API_ANSWER,
    KEYCHAIN_LOCKED,
    KEYCHAIN_UNAVAILABLE,
    KEYCHAIN_FAILED,
    KEYCHAIN_DAMAGED,
    KEYCHAIN_NO_ANSWER,
    INPUT_MISSING,
    INPUT_INVALID,
    INPUT_INVALID_URL,
    INPUT_INSECURE_URL,
    INPUT_UNSUPPORTED_SCHEME,
    INPUT_PROFILE_NAME_MISSING,
    INPUT_PROFILE_NAME_TAKEN,
    LOCAL_UNKNOWN_PROFILE,
    LOCAL_SANDBOX_NOT_RUNNING,
    LOCAL_NO_SETTINGS_FOLDER,
    LOCAL_FILE_ACCESS,
    LOCAL_PROFILES_FILE_DAMAGED,
    LOCAL_BUSY_ELSEWHERE,
    LOCAL_OTHER,
    INPUT_TOKEN_IS_JSON,
    INPUT_TOKEN_HAS_BEARER_PREFIX,
    INPUT_TOKEN_QUOTED,
    INPUT_TOKEN_WHITESPACE,
    INPUT_CLIENT_ID_WHITESPACE,
    INPUT_CLIENT_ID_LOOKALIKE,
    INPUT_URL_WITHOUT_SCHEME,
    INPUT_URL_NOT_HTTPS,
    INPUT_URL_WHITESPACE,
    INPUT_API_URL_IS_APP_HOST,
    INPUT_TOKEN_URL_IS_API_HOST,
    INPUT_AUTHORIZE_URL_IS_API_HOST,
    INPUT_TOKEN_URL_PATH,
    INPUT_API_URL_HAS_PATH,
    INPUT_REQUEST_URL_MISSING_ACCOUNT_SLUG,
    INPUT_REQUEST_URL_IS_APP_HOST,
];

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in super::ALL {
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.split('.').count() >= 2
                    && code.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == '.'
                        || c == '_'),
                "{code}"
            );
        }
    }
}
