//! `cargo xtask dev`: install what is missing, build, seed the demo site, and run the worker on local workerd until
//! Ctrl-C.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::stack::{Logs, Stack};
use crate::{build, seed, tools};

pub const DEV_PORT: u16 = 8787;
/// Local KV and Durable Object state for `dev`, kept between runs (git-ignored).
pub const DEV_STATE: &str = ".dev/state";

pub fn run() -> crate::Result<()> {
    tools::ensure(tools::Need::Build)?;
    build::run()?;
    let state = crate::at(DEV_STATE);
    seed::sites(&state, &seed::site_files("sites")?)?;
    let demo = baton_shared::config::SiteConfig::from_json(
        &std::fs::read_to_string(crate::at("sites/demo.json"))
            .map_err(|error| format!("cannot read sites/demo.json: {error}"))?,
    )
    .map_err(|errors| format!("sites/demo.json: {errors:?}"))?;
    let token = seed::demo_agent(&state, &demo)?;
    let stopping = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stopping);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|error| format!("cannot handle Ctrl-C: {error}"))?;
    let mut stack = Stack::start(DEV_PORT, &state, Logs::Terminal, &[])?;
    let base = &stack.base_url;
    println!(
        "\nBaton is running on local workerd (state in {DEV_STATE}/):\n\
         \x20 demo site with the widget   {base}/demo/\n\
         \x20 agent console               {base}/console/#site=demo&token={token}\n\
         \x20   (signed in as the demo agent, an admin in every team; token in {token_file})\n\
         \x20 API health                  {base}/v1/health\n\
         \x20 embed on any local page     <script src=\"{base}/loader.js\" data-site=\"demo\" async></script>\n\
         Press Ctrl-C to stop.\n",
        token_file = seed::AGENT_TOKEN_FILE
    );
    while !stopping.load(Ordering::SeqCst) {
        if !stack.is_running() {
            return Err("wrangler dev stopped unexpectedly; see its output above".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("\nxtask: stopping wrangler");
    stack.stop();
    Ok(())
}
