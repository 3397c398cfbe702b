//! Two minutes of a long day (the `bench_soak` benchmark runs twenty a method): the real app with
//! one profile of each method on a sandbox whose tokens live 5 seconds, auto-renew on, a request
//! through the window's own command every 2 seconds for each, and `scopestack-cli token` on the
//! same profiles at the same time. Memory is a benchmark figure, not asserted here.

use e2e::soak::{self, Method, SoakPlan};
use std::time::Duration;

#[tokio::test]
async fn two_minutes_of_five_second_tokens_lose_no_request_and_need_no_new_sign_in() {
    let plan = SoakPlan {
        methods: Method::ALL.to_vec(),
        duration: Duration::from_secs(120),
        request_every: Duration::from_secs(2),
        cli_every: Duration::from_secs(3),
        token_lifetime: Duration::from_secs(5),
        first_reading_at: Duration::from_secs(60),
        name: "soak".into(),
        bus: None,
    };
    let report = soak::run(&plan).await.expect("set up the soak");
    println!("{report:#?}");
    assert_eq!(report.requests_failed, 0, "failed requests: {:?}", report.failures);
    assert_eq!(report.cli_failed, 0, "failed CLI runs: {:?}", report.failures);
    assert!(report.requests_sent >= 150, "only {} requests were sent", report.requests_sent);
    // 5-second tokens over 2 minutes: about 24 renewals a profile, shared by the app and the CLI.
    let renewed = report.app_renewals.done() + report.cli_renewals.done();
    assert!(renewed >= 45, "only {renewed} renewals: {report:?}");
    assert!(report.cli_renewals.done() > 0, "the CLI never renewed: {report:?}");
    for tally in [report.app_renewals, report.cli_renewals] {
        assert_eq!(tally.fell_back_to_sign_in, 0, "a refresh token was refused: {report:?}");
        assert_eq!(tally.failed, 0, "a renewal failed: {report:?}");
    }
    assert_eq!(report.temp_files_running, 0, "temporary files while running");
    assert_eq!(report.temp_files_after_exit, 0, "temporary files left after exit");
}
