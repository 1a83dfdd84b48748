use super::origins;

#[test]
fn the_websites_typed_become_allowed_origins() {
    assert_eq!(
        origins(" https://shop.example\nhttp://localhost:*, https://www.shop.example  \n\n"),
        [
            "https://shop.example",
            "http://localhost:*",
            "https://www.shop.example"
        ]
    );
    assert!(origins("  \n ").is_empty());
}
