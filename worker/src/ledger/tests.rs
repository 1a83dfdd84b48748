use super::{EVENTS_PER_INSERT, cause_of, insert_sql, is_transient};

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

#[test]
fn events_are_inserted_eight_to_a_statement_within_d1s_hundred_parameters() {
    assert_eq!(EVENTS_PER_INSERT, 8);
    expect_test::expect![[r#"
        INSERT OR IGNORE INTO events (site_id, id, conversation_id, visitor_id, at_ms, actor, kind, team, agent, campaign, variant, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12), (?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"#]]
    .assert_eq(&insert_sql(2));
    let last = insert_sql(EVENTS_PER_INSERT);
    assert!(last.ends_with("?96)"), "{last}");
    assert!(!last.contains("?97"), "{last}");
}

#[test]
fn an_error_workers_rs_did_not_recognise_as_d1s_is_judged_by_its_text() {
    let lost = worker::Error::RustError("Network connection lost.".into());
    assert!(is_transient(&cause_of(&lost)), "{}", cause_of(&lost));
    let wrong = worker::Error::RustError("no such column: nope".into());
    assert!(!is_transient(&cause_of(&wrong)), "{}", cause_of(&wrong));
}
