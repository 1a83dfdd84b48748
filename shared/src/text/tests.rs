//! What text becomes as terms: folding, stemming, the lexicon's word groups and its phrases.

use expect_test::{Expect, expect};

/// Shows the terms of `text` (English rules).
#[track_caller]
fn check(text: &str, expect: Expect) {
    expect.assert_eq(&super::terms(text).join(" "));
}

#[test]
fn terms_fold_and_stem() {
    check(
        "What's SHIPPING costs, Café?? deliveries; returns returned",
        expect!["deliv price cafe return"],
    );
}

#[test]
fn paraphrases_meet_at_one_term() {
    // Pausing: for a while, not for good.
    check(
        "Can I put my subscription on hold?",
        expect!["can paus subscript"],
    );
    check("please place the order on hold", expect!["paus order"]);
    check("freeze my membership", expect!["paus subscript"]);
    check("suspend the subscription", expect!["paus subscript"]);
    // Cancelling: for good.
    check("How do I quit?", expect!["how cancel"]);
    check(
        "I want to end my subscription",
        expect!["want cancel subscript"],
    );
    check("discontinue the plan", expect!["cancel plan"]);
    // Money back.
    check("Can I get my money back?", expect!["can get refund"]);
    check("I'd like to be reimbursed", expect!["id like refund"]);
    check("send it back", expect!["return"]);
    check("do you take opened bags back", expect!["return open bag"]);
    // Prices.
    check("is it pricey", expect!["price"]);
    check("a surcharge for cards", expect!["price card"]);
    check("free of charge?", expect!["free"]);
    // Arriving, contacting, accounts.
    check("when will it get here", expect!["when will arriv"]);
    check("how do I get in touch", expect!["how contact"]);
    check("how can I reach you", expect!["how can contact"]);
    check("I can't log in", expect!["cant login"]);
    check("sign up for the newsletter", expect!["regist newslett"]);
    check("I cannot remember my passcode", expect!["forget password"]);
    check("I don't remember my password", expect!["forget password"]);
    check("turn off notifications", expect!["disabl notif"]);
    check("my e-mail address", expect!["email address"]);
    check("reserve a table", expect!["book tabl"]);
    // Spelling variants.
    check("favorite color", expect!["favourit colour"]);
}

#[test]
fn look_alikes_keep_their_own_meaning() {
    // Waiting on the telephone is not a subscription paused.
    check(
        "I've been on hold with your call center for ages",
        expect!["iv hold phone centr ag"],
    );
    check("I was put on hold for an hour", expect!["put hold hour"]);
    check("they put me on hold twice", expect!["put hold twice"]);
    check("can you hold a seat for me", expect!["can hold seat"]);
    // A device that stopped working is faulty, not cancelled.
    check("my grinder stopped working", expect!["grinder broken"]);
    check("stop my subscription", expect!["cancel subscript"]);
    // "back" alone, or a person sent back, is not a return.
    check("send me back a receipt", expect!["send back invoic"]);
    check("call me back", expect!["phone back"]);
    // "how much" asks for an amount, not always a price.
    check("how much can I withdraw", expect!["how much can withdraw"]);
}
