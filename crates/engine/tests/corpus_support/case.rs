//! One row of the corpus: a behaviour, the engine operation pointed at it, and the diagnosis
//! code it must end in (or `ok`, `revoked`, `not_supported` for operations that must succeed).

use super::server::Behaviour;
use engine::diagnose::Diagnosis;
use std::time::Duration;

/// Where the operation is pointed.
#[derive(Clone, Debug)]
pub enum Where {
    /// The bad server's route of this case's name.
    Route,
    /// An https:// URL to a port that answers with garbage bytes.
    GarbageTls,
    /// An https:// URL to the bad server's plain-HTTP port.
    HttpsToHttpPort,
    /// A TLS server with a self-signed certificate.
    SelfSigned,
    /// A TLS server with a certificate that expired in 2001.
    Expired,
    /// A port where nothing listens.
    Refused,
    /// A host name that does not exist.
    Dns,
    /// Through a proxy that answers CONNECT with this status.
    Proxy(u16),
}

/// A request sent as is (the way Postman or a script would), then read by `diagnose_response`.
#[derive(Clone, Debug, Default)]
pub struct RawRequest {
    pub method: &'static str,
    /// After the route's base: `/v1/projects`.
    pub path: &'static str,
    pub accept: Option<&'static str>,
    pub content_type: Option<&'static str>,
    /// The token sent after `Bearer `; `None`: no Authorization header.
    pub token: Option<&'static str>,
    pub body: Option<&'static str>,
    /// The OAuth grant, for token requests.
    pub grant: Option<engine::Grant>,
    pub sent_redirect_uri: bool,
    /// How old the token is, by the app's clock.
    pub token_age_secs: Option<i64>,
}

impl RawRequest {
    /// `GET {path}` as the app sends it: JSON:API Accept and a token.
    pub fn get(path: &'static str) -> RawRequest {
        RawRequest {
            method: "GET",
            path,
            accept: Some("application/vnd.api+json"),
            token: Some("a-token"),
            ..RawRequest::default()
        }
    }
}

/// The engine operation of a case.
#[derive(Clone, Debug)]
pub enum Op {
    /// `grants::client_credentials` with this client ID.
    ClientCredentials(&'static str),
    /// `grants::password`.
    Password,
    /// `authcode::exchange` of a code.
    ExchangeCode,
    /// `Engine::renew` of a stored token set with a refresh token (session-only vault).
    Renew,
    /// `Engine::obtain_direct` with client credentials, over a stored older token set.
    ObtainDirect,
    /// `verify::verify` with this token, this many seconds old.
    Verify { token: &'static str, age_secs: i64 },
    /// `oauth::revoke::revoke` of an access token.
    Revoke,
    /// A raw request, read by `diagnose_response`.
    Raw(RawRequest),
}

impl Op {
    pub fn label(&self) -> &'static str {
        match self {
            Op::ClientCredentials(_) => "grants::client_credentials",
            Op::Password => "grants::password",
            Op::ExchangeCode => "authcode::exchange",
            Op::Renew => "Engine::renew (grants::refresh)",
            Op::ObtainDirect => "Engine::obtain_direct",
            Op::Verify { .. } => "verify::verify",
            Op::Revoke => "oauth::revoke",
            Op::Raw(_) => "raw request + diagnose_response",
        }
    }
}

/// What came of running a case.
#[derive(Debug)]
pub struct Outcome {
    /// The diagnosis code, or `ok` / `revoked` / `not_supported`.
    pub code: String,
    pub diagnosis: Option<Diagnosis>,
    /// The code of the extra raw exchange, when the case has one.
    pub raw_code: Option<String>,
    pub raw_diagnosis: Option<Diagnosis>,
    pub elapsed: Duration,
    /// Requests the case's route received.
    pub hits: usize,
    /// Whether the vault still held the previous token set after a failed renewal or request.
    pub vault_kept: Option<bool>,
    /// Bytes a 1 GB route sent before the client stopped reading.
    pub gigabyte_sent: Option<u64>,
    /// Requests that reached the route a redirect pointed to.
    pub sink_hits: usize,
}

pub type Check = fn(&Outcome) -> Result<(), String>;

pub struct Case {
    pub name: &'static str,
    pub what: &'static str,
    pub behaviour: Option<Behaviour>,
    pub at: Where,
    pub op: Op,
    pub expect: &'static str,
    /// Also a raw request to the same route, and the code `diagnose_response` must give it.
    pub raw: Option<(RawRequest, &'static str)>,
    pub check: Option<Check>,
}

impl Case {
    pub fn new(
        name: &'static str,
        what: &'static str,
        behaviour: Behaviour,
        op: Op,
        expect: &'static str,
    ) -> Case {
        Case {
            name,
            what,
            behaviour: Some(behaviour),
            at: Where::Route,
            op,
            expect,
            raw: None,
            check: None,
        }
    }

    pub fn at(
        name: &'static str,
        what: &'static str,
        at: Where,
        op: Op,
        expect: &'static str,
    ) -> Case {
        Case { name, what, behaviour: None, at, op, expect, raw: None, check: None }
    }

    pub fn raw(mut self, request: RawRequest, expect: &'static str) -> Case {
        self.raw = Some((request, expect));
        self
    }

    pub fn check(mut self, check: Check) -> Case {
        self.check = Some(check);
        self
    }
}
