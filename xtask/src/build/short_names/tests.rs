use expect_test::expect;

use super::{Reader, rename, short_name, write_leb, write_name};

/// A module with a function type, three imports and three exports, as wasm-bindgen and wasm-split-cli leave them.
fn module() -> Vec<u8> {
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    let section = |module: &mut Vec<u8>, id: u8, body: Vec<u8>| {
        module.push(id);
        write_leb(module, body.len());
        module.extend(body);
    };
    section(&mut module, 1, vec![1, 0x60, 0, 0]);
    let mut imports = vec![3];
    for (from, name) in [
        ("./baton_widget_bg.js", "__wbg_alert_0123456789abcdef"),
        ("./baton_widget_bg.js", "__wbg_kept_1111111111111111"),
        ("./__wasm_split.js", "__wasm_split_load_chat"),
    ] {
        write_name(&mut imports, from);
        write_name(&mut imports, name);
        imports.extend([0, 0]);
    }
    section(&mut module, 2, imports);
    let mut exports = vec![3];
    for name in [
        "wasm_bindgen_invoke_closure",
        "__wasm_split_shared0",
        "mount",
    ] {
        write_name(&mut exports, name);
        exports.extend([0, 0]);
    }
    section(&mut module, 7, exports);
    module
}

/// Every import as `module.name` and every export, in order.
fn names(module: &[u8]) -> Vec<String> {
    let mut reader = Reader {
        bytes: module,
        at: 8,
    };
    let mut names = Vec::new();
    while reader.at < module.len() {
        let id = reader.byte().expect("a section");
        let size = reader.leb().expect("its size");
        let mut body = Reader {
            bytes: reader.take(size).expect("its body"),
            at: 0,
        };
        match id {
            2 => {
                for _ in 0..body.leb().expect("a count") {
                    let from = body.name().expect("a module");
                    let name = body.name().expect("a name");
                    body.skip_import_description().expect("a description");
                    names.push(format!("import {from}.{name}"));
                }
            }
            7 => {
                for _ in 0..body.leb().expect("a count") {
                    names.push(format!("export {}", body.name().expect("a name")));
                    body.byte().expect("a kind");
                    body.leb().expect("an index");
                }
            }
            _ => {}
        }
    }
    names
}

#[test]
fn shared_names_are_shortened_in_both_files_and_the_rest_kept() {
    let js = concat!(
        r#"function T(){return{__proto__:null,"./baton_widget_bg.js":{__proto__:null,"#,
        r#"__wbg_alert_0123456789abcdef:function(e){alert(e)},__wbg_kept_1111111111111111:function(){}},"#,
        r#""./__wasm_split.js":U}}c.wasm_bindgen_invoke_closure(1);c.mount(2);c.__wasm_split_shared0;"#,
        r#"var k=__wbg_kept_1111111111111111;"#,
    );
    let loader = "export function load(){return m.__wasm_split_shared0}";
    let (module, js, renamed) = rename(&module(), js, loader).expect("renamed");
    assert_eq!(renamed, 3);
    expect![[r#"
        import w.a
        import w.__wbg_kept_1111111111111111
        import ./__wasm_split.js.__wasm_split_load_chat
        export $a
        export __wasm_split_shared0
        export $b"#]]
    .assert_eq(&names(&module).join("\n"));
    expect![[r#"function T(){return{__proto__:null,w:{__proto__:null,a:function(e){alert(e)},__wbg_kept_1111111111111111:function(){}},"./__wasm_split.js":U}}c.$a(1);c.$b(2);c.__wasm_split_shared0;var k=__wbg_kept_1111111111111111;"#]]
    .assert_eq(&js);
}

#[test]
fn a_glue_naming_the_module_twice_keeps_its_name() {
    let js = r#"{"./baton_widget_bg.js":{__proto__:null,__wbg_alert_0123456789abcdef:f},"./baton_widget_bg.js":{}}"#;
    let (module, _, _) = rename(&module(), js, "").expect("renamed");
    assert!(names(&module).contains(&"import ./baton_widget_bg.js.a".to_string()));
}

#[test]
fn what_is_not_a_module_is_refused() {
    expect!["not a WebAssembly module"].assert_eq(&rename(b"\0asm", "", "").expect_err("short"));
    let mut cut = module();
    cut.truncate(20);
    expect!["ends early at byte 17"].assert_eq(&rename(&cut, "", "").expect_err("cut"));
}

#[test]
fn short_names_run_through_the_letters_then_grow() {
    let names: Vec<String> = [0, 25, 26, 51, 52, 53, 52 + 52 * 52].map(short_name).into();
    expect![[r#"["a", "z", "A", "Z", "aa", "ba", "aaa"]"#]].assert_eq(&format!("{names:?}"));
}
