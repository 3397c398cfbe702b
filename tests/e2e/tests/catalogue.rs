//! The API catalogue in the real window, against the built-in sandbox: the address completes a
//! typed path (picked by keyboard, then sent: 200), the Parameters table offers the resource's
//! query parameter names, a write inserts the resource's body skeleton (asking before it replaces
//! a body), "Load the API's description" says what it added; axe-core over each, both themes.

use e2e::{fresh_home, AppSession, Key};
use serde_json::Value;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// The app on the sandbox with a token, in the GTK theme `theme` ("Adwaita", "Adwaita:dark"),
/// on the Requests view.
async fn launch(name: &str, theme: &str) -> AppSession {
    let app =
        AppSession::launch_with(&fresh_home(name).unwrap(), &[("GTK_THEME", theme)]).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.wait_for(&in_tab("input[name=request_url]"), WAIT).await.unwrap();
    app
}

/// Runs `script` with `field` bound to the element `css` selects, and returns its result.
async fn on(app: &AppSession, css: &str, script: &str) -> Value {
    app.execute(&format!("const field = document.querySelector({css:?}); {script}")).await.unwrap()
}

/// Puts the keyboard in the field `css` and replaces its text by typing `text`, key by key.
async fn type_over(app: &AppSession, css: &str, text: &str) {
    app.click_on(css, WAIT).await.unwrap();
    app.press(&[Key::Ctrl('a')]).await.unwrap();
    app.type_text(text).await.unwrap();
    let value = on(app, css, "return field.value;").await;
    assert_eq!(value, Value::String(text.into()), "{css} after typing");
}

/// The texts of the options the listbox the field `css` controls shows, once it offers `wanted`
/// and every option holds `typed` (the completions of the text as typed in full, not an earlier
/// answer to part of it).
async fn options_of(app: &AppSession, css: &str, wanted: &str, typed: &str) -> Vec<String> {
    let list = on(app, css, "return field.getAttribute('aria-controls');").await;
    let script = format!(
        "return [...document.querySelectorAll('#{} [role=option] .offer-value')].map((o) => o.textContent);",
        list.as_str().expect("the field controls a listbox")
    );
    let deadline = Instant::now() + WAIT;
    loop {
        let options: Vec<String> =
            serde_json::from_value(app.execute(&script).await.unwrap()).unwrap();
        if options.iter().any(|o| o == wanted) && options.iter().all(|o| o.contains(typed)) {
            return options;
        }
        assert!(
            Instant::now() < deadline,
            "{css} offers {options:?}, expected {wanted:?} among options that all hold {typed:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Moves to the option reading `wanted` (offered for `typed`, as [`options_of`]) with ↓, as many
/// presses as its place needs, and checks the field names it as its active descendant.
async fn move_to(app: &AppSession, css: &str, wanted: &str, typed: &str) {
    let options = options_of(app, css, wanted, typed).await;
    let at = options.iter().position(|o| o == wanted).unwrap();
    for _ in 0..=at {
        app.press(&[Key::Down]).await.unwrap();
    }
    let active = on(
        app,
        css,
        "const id = field.getAttribute('aria-activedescendant'); const o = id && document.getElementById(id); \
         return o ? [o.getAttribute('role'), o.getAttribute('aria-selected'), o.querySelector('.offer-value').textContent] : null;",
    )
    .await;
    assert_eq!(active, serde_json::json!(["option", "true", wanted]), "the option moved to");
}

async fn expanded(app: &AppSession, css: &str) -> Value {
    on(app, css, "return field.getAttribute('aria-expanded');").await
}

/// The request body in the editor, read as JSON: its whole document, through the link CodeMirror
/// keeps on its content element (what its `EditorView.findFromDOM` reads; `cmView` in older ones),
/// since it renders only the lines near the view.
async fn body_json(app: &AppSession, css: &str) -> Value {
    let text = on(
        app,
        css,
        "const view = field.cmTile ? field.cmTile.root.view : field.cmView.view; return view.state.doc.toString();",
    )
    .await;
    serde_json::from_str(text.as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {text}"))
}

/// The attribute names of a JSON:API body's `data`, in order.
fn attribute_names(body: &Value) -> Vec<String> {
    body["data"]["attributes"].as_object().map(|a| a.keys().cloned().collect()).unwrap_or_default()
}

/// The attributes of `resource_type` a write may set, as the engine's catalogue file lists them
/// (the window's skeleton comes from it through the engine).
fn writable_attributes(resource_type: &str) -> Vec<String> {
    let catalogue: Value = serde_json::from_str(include_str!(
        "../../../crates/engine/src/catalogue/scopestack-api.json"
    ))
    .unwrap();
    let resource = catalogue["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == resource_type)
        .unwrap_or_else(|| panic!("{resource_type} is in the catalogue"));
    let mut names: Vec<(bool, String)> = resource["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["read_only"] != true)
        .map(|a| (a["required"] != true, a["name"].as_str().unwrap().to_string()))
        .collect();
    // Required ones first, each group in the file's order.
    names.sort_by_key(|(optional, _)| *optional);
    names.into_iter().map(|(_, n)| n).collect()
}

#[tokio::test]
async fn the_catalogue_completes_paths_offers_parameters_and_skeletons() {
    let app = launch("catalogue", "Adwaita").await;
    let url = in_tab("input[name=request_url]");
    assert_eq!(on(&app, &url, "return field.getAttribute('role');").await, "combobox");

    // A partial path offers the catalogue's paths; ↓ moves, Enter picks without sending.
    type_over(&app, &url, "{{account-slug}}/v1/proj").await;
    let offered = options_of(&app, &url, "projects/{id}/merge-data", "proj").await;
    assert!(offered.iter().any(|o| o == "projects"), "{offered:?}");
    assert!(offered.iter().any(|o| o == "project-services"), "{offered:?}");
    assert_eq!(expanded(&app, &url).await, "true");
    move_to(&app, &url, "projects", "proj").await;
    app.screenshot("catalogue-path-completions").await.unwrap();
    app.assert_accessible("catalogue-path-completions").await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    assert_eq!(on(&app, &url, "return field.value;").await, "{{account-slug}}/v1/projects");
    assert_eq!(expanded(&app, &url).await, "false");
    let answers = app
        .execute(&format!(
            "return document.querySelectorAll({:?}).length",
            in_tab("[data-testid=status-line]")
        ))
        .await
        .unwrap();
    assert_eq!(answers, 0, "picking a completion with Enter sends nothing");

    // Escape closes the list and keeps the text; Enter, with the list closed, sends.
    app.type_text("/").await.unwrap();
    options_of(&app, &url, "projects/{id}", "projects/").await;
    app.press(&[Key::Escape]).await.unwrap();
    assert_eq!(expanded(&app, &url).await, "false");
    assert_eq!(on(&app, &url, "return field.value;").await, "{{account-slug}}/v1/projects/");
    app.press(&[Key::Ctrl('a')]).await.unwrap();
    app.type_text("{{account-slug}}/v1/projects").await.unwrap();
    app.press(&[Key::Escape]).await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "200", WAIT)
        .await
        .unwrap();
    app.wait_for_content(&in_tab("[data-testid=jsonapi-view]"), "projects", WAIT).await.unwrap();

    // A record's path: Tab accepts too, and the {id} is selected to be typed over.
    type_over(&app, &url, "{{account-slug}}/v1/projects/").await;
    move_to(&app, &url, "projects/{id}", "projects/").await;
    app.press(&[Key::Tab]).await.unwrap();
    let picked =
        on(&app, &url, "return [field.value, field.value.slice(field.selectionStart, field.selectionEnd), document.activeElement === field];")
            .await;
    assert_eq!(picked, serde_json::json!(["{{account-slug}}/v1/projects/{id}", "{id}", true]));
    app.type_text("1211").await.unwrap();
    app.press(&[Key::Escape]).await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_for_content(&in_tab("[data-testid=jsonapi-view]"), "1211", WAIT).await.unwrap();

    // The Parameters table offers the list's parameter names: pick filter[active] by keyboard.
    type_over(&app, &url, "{{account-slug}}/v1/projects").await;
    app.press(&[Key::Escape]).await.unwrap();
    app.click_in_view(&in_tab(".request-editor [role=tab][id$='-tab-params']"), WAIT)
        .await
        .unwrap();
    let name = in_tab("input[aria-label='Parameter 1 name']");
    app.click_on(&name, WAIT).await.unwrap();
    app.type_text("filter[ac").await.unwrap();
    let names = options_of(&app, &name, "filter[active]", "filter[ac").await;
    assert_eq!(names, ["filter[active]"], "the one filter of projects that matches");
    move_to(&app, &name, "filter[active]", "filter[ac").await;
    app.screenshot("catalogue-parameter-offers").await.unwrap();
    app.assert_accessible("catalogue-parameter-offers").await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    assert_eq!(on(&app, &name, "return field.value;").await, "filter[active]");
    app.press(&[Key::Tab]).await.unwrap();
    app.type_text("true").await.unwrap();
    assert_eq!(
        on(&app, &url, "return field.value;").await,
        "{{account-slug}}/v1/projects?filter[active]=true"
    );
    // The empty row offers every other name, sort and paging among them.
    app.click_on(&in_tab("input[aria-label='Parameter 2 name']"), WAIT).await.unwrap();
    app.type_text("page").await.unwrap();
    let paging =
        options_of(&app, &in_tab("input[aria-label='Parameter 2 name']"), "page[size]", "page")
            .await;
    assert_eq!(paging, ["page[number]", "page[size]"]);
    app.press(&[Key::Escape]).await.unwrap();
    app.press(&[Key::Ctrl('a')]).await.unwrap();
    app.type_text("sort").await.unwrap();
    app.press(&[Key::Tab]).await.unwrap();
    // The value cell offers the sort fields (descending with a minus).
    app.type_text("-cre").await.unwrap();
    let value = in_tab("input[aria-label='Parameter 2 value']");
    move_to(&app, &value, "-created-at", "-cre").await;
    app.press(&[Key::Enter]).await.unwrap();
    assert_eq!(
        on(&app, &url, "return field.value;").await,
        "{{account-slug}}/v1/projects?filter[active]=true&sort=-created-at"
    );
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "200", WAIT)
        .await
        .unwrap();

    // POST to projects: the body skeleton names the type and its attributes.
    type_over(&app, &url, "{{account-slug}}/v1/projects").await;
    app.press(&[Key::Escape]).await.unwrap();
    app.click_on(&in_tab("select[aria-label=Method] option:nth-child(2)"), WAIT).await.unwrap();
    assert_eq!(on(&app, &in_tab("select[aria-label=Method]"), "return field.value;").await, "POST");
    app.click_in_view(&in_tab(".request-editor [role=tab][id$='-tab-body']"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=insert-body-skeleton]"), "Insert body skeleton", WAIT)
        .await
        .unwrap();
    app.click_in_view(&in_tab("[data-testid=insert-body-skeleton]"), WAIT).await.unwrap();
    let body = in_tab("[data-testid=request-body] .cm-content");
    app.wait_for_content(&body, "\"project-name\"", WAIT).await.unwrap();
    let posted = body_json(&app, &body).await;
    assert_eq!(posted["data"]["type"], "projects", "{posted}");
    assert!(posted["data"].get("id").is_none(), "a POST's skeleton has no id: {posted}");
    assert_eq!(attribute_names(&posted), writable_attributes("projects"), "{posted}");
    assert_eq!(posted["data"]["relationships"]["client"]["data"]["type"], "clients", "{posted}");
    // PATCH: the skeleton differs (it has the id); the body has text, so it asks first.
    app.click_on(&in_tab("select[aria-label=Method] option:nth-child(3)"), WAIT).await.unwrap();
    app.click_in_view(&in_tab("[data-testid=insert-body-skeleton]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=replace-body-question]"), "Replace it", WAIT)
        .await
        .unwrap();
    app.screenshot("catalogue-body-skeleton").await.unwrap();
    app.assert_accessible("catalogue-body-skeleton").await.unwrap();
    assert_eq!(body_json(&app, &body).await, posted, "nothing replaced before the answer");
    app.click_on(&in_tab("[data-testid=replace-body]"), WAIT).await.unwrap();
    app.wait_gone(&in_tab("[data-testid=replace-body-question]"), WAIT).await.unwrap();
    app.wait_for_content(&body, "\"{id}\"", WAIT).await.unwrap();
    let patched = body_json(&app, &body).await;
    assert_eq!(patched["data"]["id"], "{id}", "{patched}");
    assert_eq!(attribute_names(&patched), writable_attributes("projects"), "{patched}");

    // Load the API's description: the status line says what it added.
    app.click_in_view(&in_tab("[data-testid=load-api-description]"), WAIT).await.unwrap();
    let note = app
        .wait_for_text(
            &in_tab("[data-testid=catalogue-note]"),
            "Loaded the API's description",
            WAIT,
        )
        .await
        .unwrap();
    assert!(note.contains("resource types"), "{note}");
    assert!(note.contains(" new"), "{note}");
    app.screenshot("catalogue-description-loaded").await.unwrap();
    app.assert_accessible("catalogue-description-loaded").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn the_path_list_is_accessible_in_the_dark_theme() {
    let app = launch("catalogue-dark", "Adwaita:dark").await;
    let url = in_tab("input[name=request_url]");
    type_over(&app, &url, "{{account-slug}}/v1/sur").await;
    move_to(&app, &url, "surveys/{id}/calculate", "sur").await;
    app.screenshot("catalogue-path-completions-dark").await.unwrap();
    app.assert_accessible("catalogue-path-completions-dark").await.unwrap();
    // A click accepts too.
    let option = on(&app, &url, "return field.getAttribute('aria-activedescendant');").await;
    app.click_on(&format!("#{}", option.as_str().unwrap()), WAIT).await.unwrap();
    let picked = on(&app, &url, "return [field.value, field.getAttribute('aria-expanded')];").await;
    assert_eq!(picked, serde_json::json!(["{{account-slug}}/v1/surveys/{id}/calculate", "false"]));
    app.close().await;
}
