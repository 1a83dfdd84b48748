use super::is_transient;

#[test]
fn only_transient_d1_errors_are_tried_again() {
    let causes = [
        "D1_ERROR: Network connection lost.",
        "D1_ERROR: Durable Object reset because its code was updated.",
        "D1_ERROR: internal error; reference = 3f1e",
        "SQLITE_BUSY: database is locked",
        "D1_ERROR: no such table: events: SQLITE_ERROR",
        "D1_ERROR: UNIQUE constraint failed: events.id: SQLITE_CONSTRAINT",
        "D1_ERROR: too many SQL variables",
    ];
    let judged: Vec<String> = causes
        .iter()
        .map(|cause| format!("{:<5} {cause}", is_transient(cause)))
        .collect();
    expect_test::expect![[r#"
        true  D1_ERROR: Network connection lost.
        true  D1_ERROR: Durable Object reset because its code was updated.
        true  D1_ERROR: internal error; reference = 3f1e
        true  SQLITE_BUSY: database is locked
        false D1_ERROR: no such table: events: SQLITE_ERROR
        false D1_ERROR: UNIQUE constraint failed: events.id: SQLITE_CONSTRAINT
        false D1_ERROR: too many SQL variables"#]]
    .assert_eq(&judged.join("\n"));
}
