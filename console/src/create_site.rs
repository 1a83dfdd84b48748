//! The sign-in screen, and creating a site from it for whoever runs Baton (the operator): the operator secret
//! (`BATON_ADMIN_TOKEN`, typed in a password field, sent only in the `Authorization` header, never stored or put in
//! the address), the site's id, name and websites, and its first admin's name. The worker makes the starter
//! configuration version 1 of the site's history; the new admin's token is shown once, with a copy button, and
//! "Open the studio" signs in as that admin at `#studio`.

use baton_shared::protocol::agent::{CreateSite, SiteCreated};
use baton_web::ApiBase;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// The websites a site's widget may show on, one per line or separated by commas or spaces.
pub fn origins(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(str::to_string)
        .collect()
}

/// The sign-in screen: an agent's token (and, for older tokens, the site), why the console signed out by itself,
/// and the form that creates a site.
#[component]
pub fn SignInScreen(
    token: RwSignal<String>,
    site: RwSignal<String>,
    /// Why the last sign-in was refused.
    error: Signal<Option<String>>,
    /// Why the console signed out by itself (the account was disabled or deleted).
    signed_out: Signal<Option<String>>,
    on_sign_in: Callback<()>,
    /// The worker the console talks to.
    api_base: StoredValue<String>,
    /// Signs in as a new site's first admin, in its studio.
    on_open_studio: Callback<(String, String)>,
) -> impl IntoView {
    view! {
        <main class="signin">
            <h1>"Baton agent console"</h1>
            <Show when=move || signed_out.get().is_some()>
                <p class="error" role="alert" data-testid="console-signed-out">
                    "You were signed out: "{move || signed_out.get()}
                </p>
            </Show>
            <form on:submit=move |event| { event.prevent_default(); on_sign_in.run(()); }>
                <label>"Agent token" <input data-testid="console-token" type="password" required
                    autocomplete="off" prop:value=move || token.get()
                    on:input=move |event| token.set(event_target_value(&event)) /></label>
                <label>"Site (only for older tokens, which do not name it)" <input data-testid="console-site"
                    prop:value=move || site.get()
                    on:input=move |event| site.set(event_target_value(&event)) /></label>
                <button type="submit" data-testid="console-sign-in">"Sign in"</button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="console-error">{move || error.get()}</p>
            </Show>
            <p class="hint">"An admin creates your account and gives you a token once. Running locally, "
                <code>"cargo xtask dev"</code>" prints a sign-in link."</p>
            <CreateSiteForm api_base=api_base on_open_studio=on_open_studio />
        </main>
    }
}

/// The form, folded under a "Create a site" button until opened.
#[component]
pub fn CreateSiteForm(
    /// The worker the console talks to.
    api_base: StoredValue<String>,
    /// Signs in with the new site's id and its first admin's token, landing in the studio.
    on_open_studio: Callback<(String, String)>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let secret = RwSignal::new(String::new());
    let site_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let websites = RwSignal::new(String::new());
    let admin_name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<SiteCreated>);
    let copied = RwSignal::new(None::<&'static str>);
    let submit = move || {
        let body = CreateSite {
            id: site_id.get_untracked().trim().to_string(),
            name: name.get_untracked().trim().to_string(),
            allowed_origins: origins(&websites.get_untracked()),
            admin_name: admin_name.get_untracked().trim().to_string(),
        };
        let operator = secret.get_untracked().trim().to_string();
        let base = ApiBase::new(&api_base.get_value());
        busy.set(true);
        spawn_local(async move {
            match api::create_site(base, operator, &body).await {
                Ok(site) => {
                    // The secret is not kept a moment longer than the request.
                    secret.set(String::new());
                    error.set(None);
                    created.set(Some(site));
                }
                Err(message) => error.set(Some(format!("The site was not created: {message}"))),
            }
            busy.set(false);
        });
    };
    let copy = move |token: String| {
        spawn_local(async move {
            let done = match web_sys::window().map(|window| window.navigator().clipboard()) {
                Some(clipboard) => {
                    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&token))
                        .await
                        .is_ok()
                }
                None => false,
            };
            copied.set(Some(if done {
                "Copied."
            } else {
                "Could not copy: select the token and copy it."
            }));
        });
    };
    view! {
        <section class="create-site" data-testid="create-site">
            <Show when=move || !open.get() && created.get().is_none()>
                <button type="button" data-testid="create-site-open" on:click=move |_| open.set(true)>"Create a site"</button>
            </Show>
            <Show when=move || open.get() && created.get().is_none()>
                <h2>"Create a site"</h2>
                <p class="hint">"For whoever runs Baton: the operator secret is the worker's "<code>"BATON_ADMIN_TOKEN"</code>
                    " (running locally, "<code>"cargo xtask dev"</code>" keeps it in "<code>".dev/operator-token"</code>
                    "). It is sent once, to create the site, and not kept."</p>
                <form on:submit=move |event| { event.prevent_default(); submit(); }>
                    <label>"Operator secret" <input data-testid="create-site-secret" type="password" required
                        autocomplete="off" prop:value=move || secret.get()
                        on:input=move |event| secret.set(event_target_value(&event)) /></label>
                    <label>"Site id (letters, digits, - or _; in the script tag's data-site)" <input data-testid="create-site-id" required
                        pattern="[A-Za-z0-9_\\-]{1,64}" prop:value=move || site_id.get()
                        on:input=move |event| site_id.set(event_target_value(&event)) /></label>
                    <label>"Name shown to visitors" <input data-testid="create-site-name" required
                        prop:value=move || name.get()
                        on:input=move |event| name.set(event_target_value(&event)) /></label>
                    <label>"Websites that show the chat (one per line: https://shop.example, or http://localhost:* for any port)"
                        <textarea data-testid="create-site-origins" rows="2" prop:value=move || websites.get()
                            on:input=move |event| websites.set(event_target_value(&event))></textarea></label>
                    <label>"Your name (the site's first admin)" <input data-testid="create-site-admin" required
                        prop:value=move || admin_name.get()
                        on:input=move |event| admin_name.set(event_target_value(&event)) /></label>
                    <button type="submit" data-testid="create-site-submit" disabled=move || busy.get()>"Create the site"</button>
                    <button type="button" on:click=move |_| { open.set(false); secret.set(String::new()); }>"Cancel"</button>
                </form>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="create-site-error">{move || error.get()}</p>
                </Show>
            </Show>
            {move || created.get().map(|site| {
                let token = site.admin.token.clone();
                let to_copy = token.clone();
                let opened = (site.site_id.clone(), token.clone());
                view! {
                    <div class="token" role="status" data-testid="create-site-done" data-site=site.site_id.clone()>
                        <p>{format!("Site \"{}\" is created, with {} as its admin. Your admin token, shown this once: keep it \
                            somewhere safe (a password manager); it is how you sign in.", site.site_id, site.admin.agent.name)}</p>
                        <p><code data-testid="create-site-token">{token}</code></p>
                        <button type="button" data-testid="create-site-copy" on:click=move |_| copy(to_copy.clone())>"Copy the token"</button>
                        <span role="status">{move || copied.get()}</span>
                        <button type="button" data-testid="create-site-studio"
                            on:click=move |_| on_open_studio.run(opened.clone())>"Sign in and open the studio"</button>
                    </div>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests;
