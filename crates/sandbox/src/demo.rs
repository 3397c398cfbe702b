//! The seeded demo account, OAuth clients and users (demo values, not secrets), and [`DemoData`].

use serde::{Deserialize, Serialize};

/// Id of the demo account.
pub const ACCOUNT_ID: u64 = 1001;
/// Slug of the demo account, the first path segment of account-scoped API calls.
pub const ACCOUNT_SLUG: &str = "sandbox-demo";
/// Display name of the demo account.
pub const ACCOUNT_NAME: &str = "Sandbox Demo Co";

/// Client for the browser login (authorization code grant).
pub const BROWSER_CLIENT_ID: &str = "sandbox-browser-login";
/// Secret of [`BROWSER_CLIENT_ID`].
pub const BROWSER_CLIENT_SECRET: &str = "demo-browser-secret";
/// Callback registered for [`BROWSER_CLIENT_ID`]; any port of 127.0.0.1 matches it.
pub const BROWSER_REDIRECT_URI: &str = "http://127.0.0.1:8765/callback";
/// Service-account client (client credentials grant); its tokens act as the admin user.
pub const SERVICE_CLIENT_ID: &str = "sandbox-service-account";
/// Secret of [`SERVICE_CLIENT_ID`].
pub const SERVICE_CLIENT_SECRET: &str = "demo-service-secret";
/// Account-level client (password grant).
pub const PASSWORD_CLIENT_ID: &str = "sandbox-password-client";
/// Secret of [`PASSWORD_CLIENT_ID`].
pub const PASSWORD_CLIENT_SECRET: &str = "demo-password-secret";
/// Client registered with Postman's callback, to rehearse a callback mismatch.
pub const POSTMAN_CLIENT_ID: &str = "sandbox-postman-client";
/// Secret of [`POSTMAN_CLIENT_ID`].
pub const POSTMAN_CLIENT_SECRET: &str = "demo-postman-secret";
/// Callback registered for [`POSTMAN_CLIENT_ID`].
pub const POSTMAN_REDIRECT_URI: &str = "https://oauth.pstmn.io/v1/callback";

/// Admin user: may read and write.
pub const ADMIN_EMAIL: &str = "admin@sandbox-demo.test";
/// Password of [`ADMIN_EMAIL`].
pub const ADMIN_PASSWORD: &str = "demo-admin-pass";
/// Read-only user: reads work, writes answer 403.
pub const READONLY_EMAIL: &str = "readonly@sandbox-demo.test";
/// Password of [`READONLY_EMAIL`].
pub const READONLY_PASSWORD: &str = "demo-readonly-pass";
/// Deactivated user: cannot sign in nor get tokens.
pub const DEACTIVATED_EMAIL: &str = "deactivated@sandbox-demo.test";
/// Password of [`DEACTIVATED_EMAIL`].
pub const DEACTIVATED_PASSWORD: &str = "demo-deactivated-pass";
/// User with multi-factor authentication: the browser login asks a one-time code.
pub const MFA_EMAIL: &str = "mfa@sandbox-demo.test";
/// Password of [`MFA_EMAIL`].
pub const MFA_PASSWORD: &str = "demo-mfa-pass";
/// The one-time code that completes the MFA step of [`MFA_EMAIL`].
pub const MFA_ONE_TIME_CODE: &str = "246810";

/// User id of [`ADMIN_EMAIL`] (also the owner of service-account tokens).
pub const ADMIN_USER_ID: u64 = 4001;
/// User id of [`READONLY_EMAIL`].
pub const READONLY_USER_ID: u64 = 4002;
/// User id of [`DEACTIVATED_EMAIL`].
pub const DEACTIVATED_USER_ID: u64 = 4003;
/// User id of [`MFA_EMAIL`].
pub const MFA_USER_ID: u64 = 4004;

/// The OAuth grant a demo client is registered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GrantMethod {
    /// Browser login.
    AuthorizationCode,
    /// Service account, no user interaction.
    ClientCredentials,
    /// Account-level client with a user's email and password.
    Password,
}

/// What a demo user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Role {
    /// Reads and writes.
    #[serde(rename = "admin")]
    Admin,
    /// Reads only.
    #[serde(rename = "read-only")]
    ReadOnly,
    /// Cannot sign in.
    #[serde(rename = "deactivated")]
    Deactivated,
    /// Needs a one-time code at browser login, then behaves as an admin.
    #[serde(rename = "mfa")]
    Mfa,
}

/// One demo OAuth client, as listed by [`demo_data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DemoClient {
    /// Human-readable name, shown on the sign-in page.
    pub name: String,
    /// The only grant this client may use (refresh tokens aside).
    pub method: GrantMethod,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (a demo value).
    pub client_secret: String,
    /// Registered callbacks (authorization code clients only).
    pub redirect_uris: Vec<String>,
}

/// One demo user, as listed by [`demo_data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DemoUser {
    /// Sign-in email.
    pub email: String,
    /// Sign-in password (a demo value).
    pub password: String,
    /// What the user may do.
    pub role: Role,
    /// The MFA code, only for the MFA user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_time_code: Option<String>,
}

/// Everything a person needs to try the sandbox: account, clients and users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DemoData {
    /// See [`ACCOUNT_SLUG`].
    pub account_slug: String,
    /// See [`ACCOUNT_ID`].
    pub account_id: u64,
    /// See [`ACCOUNT_NAME`].
    pub account_name: String,
    /// The demo OAuth clients.
    pub clients: Vec<DemoClient>,
    /// The demo users.
    pub users: Vec<DemoUser>,
}

/// A demo user with the profile fields the API shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SeedUser {
    pub id: u64,
    pub email: &'static str,
    pub password: String,
    pub role: Role,
    pub name: &'static str,
    pub title: &'static str,
    pub uuid: &'static str,
}

impl SeedUser {
    /// The one-time code this user must enter at browser login, if any.
    pub fn one_time_code(&self) -> Option<&'static str> {
        (self.role == Role::Mfa).then_some(MFA_ONE_TIME_CODE)
    }

    /// Whether the user's role allows creating and updating records.
    pub fn can_write(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Mfa)
    }
}

/// The seeded users, in a fixed order.
pub(crate) fn seed_users() -> Vec<SeedUser> {
    vec![
        SeedUser {
            id: ADMIN_USER_ID,
            email: ADMIN_EMAIL,
            password: ADMIN_PASSWORD.to_owned(),
            role: Role::Admin,
            name: "Avery Admin",
            title: "Operations Director",
            uuid: "0d6c1e52-4a8b-4f7e-9a31-5b2f8c7d1001",
        },
        SeedUser {
            id: READONLY_USER_ID,
            email: READONLY_EMAIL,
            password: READONLY_PASSWORD.to_owned(),
            role: Role::ReadOnly,
            name: "Riley Reader",
            title: "Sales Analyst",
            uuid: "5a1f3b7c-2d4e-4c6a-8b9d-0e1f2a3b1002",
        },
        SeedUser {
            id: DEACTIVATED_USER_ID,
            email: DEACTIVATED_EMAIL,
            password: DEACTIVATED_PASSWORD.to_owned(),
            role: Role::Deactivated,
            name: "Dana Departed",
            title: "Former Engineer",
            uuid: "9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e71003",
        },
        SeedUser {
            id: MFA_USER_ID,
            email: MFA_EMAIL,
            password: MFA_PASSWORD.to_owned(),
            role: Role::Mfa,
            name: "Morgan Multifactor",
            title: "Security Lead",
            uuid: "3c2b1a09-8f7e-4d6c-b5a4-938271601004",
        },
    ]
}

/// The seeded OAuth clients, in a fixed order.
pub(crate) fn seed_clients() -> Vec<DemoClient> {
    let client = |name: &str, method, id: &str, secret: &str, uris: &[&str]| DemoClient {
        name: name.to_owned(),
        method,
        client_id: id.to_owned(),
        client_secret: secret.to_owned(),
        redirect_uris: uris.iter().map(|u| (*u).to_owned()).collect(),
    };
    vec![
        client(
            "Browser login (demo)",
            GrantMethod::AuthorizationCode,
            BROWSER_CLIENT_ID,
            BROWSER_CLIENT_SECRET,
            &[BROWSER_REDIRECT_URI],
        ),
        client(
            "Service account (demo)",
            GrantMethod::ClientCredentials,
            SERVICE_CLIENT_ID,
            SERVICE_CLIENT_SECRET,
            &[],
        ),
        client(
            "Account-level client (demo)",
            GrantMethod::Password,
            PASSWORD_CLIENT_ID,
            PASSWORD_CLIENT_SECRET,
            &[],
        ),
        client(
            "Postman-registered client (demo)",
            GrantMethod::AuthorizationCode,
            POSTMAN_CLIENT_ID,
            POSTMAN_CLIENT_SECRET,
            &[POSTMAN_REDIRECT_URI],
        ),
    ]
}

/// The demo account, clients and users that every sandbox is seeded with.
pub fn demo_data() -> DemoData {
    demo_data_of(&seed_clients(), &seed_users())
}

/// The seeded users and clients with `marker` put in front of every password and client
/// secret, for tests that prove a marked secret never reaches a file.
pub(crate) fn marked(marker: &str) -> (Vec<DemoClient>, Vec<SeedUser>) {
    let mut clients = seed_clients();
    for c in &mut clients {
        c.client_secret = format!("{marker}-{}", c.client_secret);
    }
    let mut users = seed_users();
    for u in &mut users {
        u.password = format!("{marker}-{}", u.password);
    }
    (clients, users)
}

/// The demo data of these clients and users.
pub(crate) fn demo_data_of(clients: &[DemoClient], users: &[SeedUser]) -> DemoData {
    DemoData {
        account_slug: ACCOUNT_SLUG.to_owned(),
        account_id: ACCOUNT_ID,
        account_name: ACCOUNT_NAME.to_owned(),
        clients: clients.to_vec(),
        users: users
            .iter()
            .map(|u| DemoUser {
                email: u.email.to_owned(),
                password: u.password.clone(),
                role: u.role,
                one_time_code: u.one_time_code().map(str::to_owned),
            })
            .collect(),
    }
}
