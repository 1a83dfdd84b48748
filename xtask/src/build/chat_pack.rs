//! The chat's modules in one download. wasm-split-cli leaves the chat panel and the chunks it shares with the
//! campaign card and the JSON copies' module in files of their own, each fetched alone: four requests when the chat
//! is first needed, each compressed alone. [`pack`] puts them in one WebAssembly module, [`PACK`], as custom
//! sections named after their files (so it is served and compressed as any wasm is), and rewrites wasm-split-cli's
//! loader to take each from it: one request, and Brotli finds what the modules have in common (the chat's modules
//! were 167,313 B Brotli apart, 160,375 B packed). The pack's reader (`widget/chat_pack.mjs`, fetched with it) gives
//! each module's bytes as they arrive, so each still compiles while the rest downloads.
//!
//! A campaign's card and the JSON copies' module take their chunks from the pack too: a campaign about to show
//! fetches the chat anyway (`widget/src/chat.rs`, `prefetch`), and the JSON copies are read once, on the first page
//! view of a visitor whose browser kept them from before the wire encoding.

use super::short_names::{write_leb, write_name};

/// The pack's file name, beside the widget's other modules.
pub const PACK: &str = "chat.wasm";

/// Whether a module wasm-split-cli wrote goes in the pack: the chat panel and every chunk.
pub fn packed(file_name: &str) -> bool {
    file_name.starts_with("chunk_") || file_name.starts_with("split_chat_panel_")
}

/// The reader of the pack, beside it: `widget/chat_pack.mjs`, minified.
pub const READER: &str = "chat_pack.mjs";

/// What the loader gains: `fromPack(name)` answers as `fetch` would, with the module `name` from the pack, streamed
/// as it downloads by the pack's reader ([`READER`], imported then). A failed load is forgotten, so the next one
/// tries again, as the loader's own loads do.
const FROM_PACK: &str = r#"let pack;
function fromPack(name) {
    const loading = pack ??= Promise.all([fetch(new URL("./chat.wasm", import.meta.url)), import("./chat_pack.mjs")]).then(([response, reader]) => reader.unpack(response));
    const module = loading.then((modules) => modules(name));
    module.catch(() => { if (pack === loading) pack = undefined; });
    return module;
}
"#;

/// The pack of `modules` (file name and bytes, in the order given) and `loader` rewritten to take them from it.
/// Fails when the loader does not fetch a module exactly once as wasm-split-cli 0.2.4 writes it.
pub fn pack(modules: &[(String, Vec<u8>)], loader: &str) -> Result<(Vec<u8>, String), String> {
    let mut loader = loader.to_string();
    for (name, _) in modules {
        let fetch = format!("fetch(new URL(\"./{name}\", import.meta.url))");
        if loader.matches(&fetch).count() != 1 {
            return Err(format!(
                "the split loader does not fetch {name} exactly once as `{fetch}`: wasm-split-cli's output changed"
            ));
        }
        loader = loader.replace(&fetch, &format!("fromPack(\"{name}\")"));
    }
    let imports_end = loader
        .find(";\n")
        .filter(|_| loader.starts_with("import "))
        .ok_or(
            "the split loader does not start with its import: wasm-split-cli's output changed",
        )?
        + 2;
    loader.insert_str(imports_end, FROM_PACK);
    Ok((sections(modules), loader))
}

/// A WebAssembly module of nothing but custom sections, one for each of `modules`, named after it.
fn sections(modules: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for (name, module) in modules {
        let mut section = Vec::new();
        write_name(&mut section, name);
        section.extend_from_slice(module);
        bytes.push(0);
        write_leb(&mut bytes, section.len());
        bytes.extend(section);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    const LOADER: &str = r#"import { initSync } from "./baton_widget.js";

const __chunk_4 = makeLoad(() => {
    const src = fetch(new URL("./chunk_4.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}, []);
export const __wasm_split_load_campaign_card_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_campaign_card_1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}, [__chunk_4]));
"#;

    #[test]
    fn each_module_is_a_custom_section_named_after_it() {
        let bytes = sections(&[
            ("chunk_4.wasm".into(), b"\0asm".to_vec()),
            ("x".into(), vec![7; 200]),
        ]);
        // The header; a section of 17 bytes (a name of 12, the name, the module); one of 202 (LEB128 0xca 0x01).
        expect![[r#"
            [0, 97, 115, 109, 1, 0, 0, 0, 0, 17, 12, 99, 104, 117, 110, 107, 95, 52, 46, 119, 97, 115, 109, 0, 97, 115, 109, 0, 202, 1, 1, 120]"#]]
        .assert_eq(&format!("{:?}", &bytes[..32]));
        assert_eq!(bytes.len(), 8 + 2 + 17 + 3 + 202);
    }

    #[test]
    fn the_loader_takes_packed_modules_from_the_pack_and_fetches_the_others() {
        let (_, loader) = pack(&[("chunk_4.wasm".into(), Vec::new())], LOADER).expect("packed");
        assert!(loader.contains(r#"const src = fromPack("chunk_4.wasm");"#));
        assert!(loader.contains(r#"fetch(new URL("./split_campaign_card_1.wasm""#));
        assert!(loader.starts_with("import { initSync } from \"./baton_widget.js\";\nlet pack;\n"));
    }

    #[test]
    fn a_module_the_loader_does_not_fetch_is_an_error() {
        let error = pack(&[("chunk_9.wasm".into(), Vec::new())], LOADER).expect_err("refused");
        expect![[r#"the split loader does not fetch chunk_9.wasm exactly once as `fetch(new URL("./chunk_9.wasm", import.meta.url))`: wasm-split-cli's output changed"#]]
            .assert_eq(&error);
    }
}
