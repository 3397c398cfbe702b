//! `scopestack-cli me`: prove the token works with `GET /v1/me`, and say who and which account.

use crate::connect::{self, ConnectArgs};
use crate::display::outln;
use crate::exit::Failure;
use clap::Args;
use engine::verify::Identity;

#[derive(Args, Debug)]
pub struct MeArgs {
    /// Print JSON: user_id, name, email, account_slug, account_id, privileges [{privilege, access_level}]
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    profile: ConnectArgs,
}

pub fn run(args: MeArgs) -> Result<(), Failure> {
    connect::runtime()?.block_on(async {
        let mut conn =
            connect::connect(&args.profile.select, &args.profile.secrets, &args.profile.one_off)
                .await?;
        conn.current_token(&args.profile.sign_in).await?;
        let identity = conn.engine.verify(&conn.target).await.map_err(|e| conn.failure(e))?;
        conn.mark_used();
        if args.json {
            let text = serde_json::to_string_pretty(&identity)
                .map_err(|e| Failure::local(format!("could not encode the answer: {e}")))?;
            outln!("{text}");
        } else {
            print_identity(&identity);
        }
        Ok(())
    })
}

fn print_identity(id: &Identity) {
    outln!("Name:         {}", id.name);
    outln!("Email:        {}", id.email);
    outln!("Account slug: {}", id.account_slug);
    outln!("Account id:   {}", id.account_id);
    if id.privileges.is_empty() {
        outln!("Privileges:   none listed");
    } else {
        outln!("Privileges:");
        for p in &id.privileges {
            outln!("  {:<40} {}", p.privilege, p.access_level);
        }
    }
}
