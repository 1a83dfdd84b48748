use expect_test::{Expect, expect};

use super::{check_lead, opening_campaign};
use crate::config::SiteConfig;
use crate::handoff::staffing_now;
use crate::inbox::Online;
use crate::protocol::{CampaignRef, FieldValue, SubmitLead};

/// Tuesday 28 January 2031, 11:00 in Paris: open.
const OPEN: u64 = 1_927_360_800_000;
/// Sunday 26 January 2031, 12:00 in Paris: closed.
const CLOSED: u64 = 1_927_191_600_000;

fn site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../../tests/sites/campaigns.json"))
        .expect("the campaigns test site is valid")
}

fn lead(
    campaign: &str,
    variant: Option<&str>,
    fields: &[(&str, &str)],
    consent: bool,
) -> SubmitLead {
    SubmitLead {
        campaign: campaign.into(),
        variant: variant.map(str::to_string),
        fields: fields
            .iter()
            .map(|(id, value)| FieldValue {
                id: (*id).into(),
                value: (*value).into(),
            })
            .collect(),
        consent,
        visitor: "visitor-0001".into(),
        ..SubmitLead::default()
    }
}

#[track_caller]
fn check(lead: SubmitLead, expect: Expect) {
    let shown = match check_lead(&site(), &lead) {
        Ok(lead) => format!(
            "to {:?} ({:?}, topic {:?}); name {:?}, email {:?}; thanks {:?}\n{}",
            lead.handoff
                .as_ref()
                .and_then(|campaign| campaign.handoff.team),
            lead.handoff
                .as_ref()
                .map(|campaign| campaign.handoff.reason),
            lead.handoff
                .as_ref()
                .map(|campaign| campaign.topic.as_str()),
            lead.name,
            lead.email,
            lead.thanks,
            lead.transcript_line()
        ),
        Err(errors) => errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    expect.assert_eq(&shown);
}

#[test]
fn a_lead_form_with_a_team_goes_to_it_with_its_answers_in_the_forms_order() {
    check(
        lead(
            "demo-lead",
            None,
            &[
                ("company", "Acme"),
                ("email", " ada@example.com "),
                ("name", "Ada"),
            ],
            true,
        ),
        expect![[r#"
            to Some(0) (Some(LeadForm), topic Some("Office coffee demo")); name Some("Ada"), email Some("ada@example.com"); thanks "Thanks! Sales will call you back today."
            Sent the form “Office coffee demo”:
            Name: Ada
            Email: ada@example.com
            Company: Acme"#]],
    );
    check(
        lead(
            "newsletter",
            Some("plain"),
            &[("email", "grace@example.com")],
            false,
        ),
        expect![[r#"
            to None (None, topic None); name None, email Some("grace@example.com"); thanks "You're on the list."
            Sent the form “Newsletter sign-up”:
            Email: grace@example.com"#]],
    );
}

#[test]
fn a_lead_is_checked_like_the_pre_chat_form_and_against_its_campaign() {
    check(
        lead(
            "demo-lead",
            None,
            &[("email", "nope"), ("email", "a@b.example")],
            false,
        ),
        expect![[r#"
            fields[0].value: must be an email address like name@example.com
            fields[1].id: "email" is given twice
            fields: Name is needed
            consent: must be ticked: "You may contact me about office coffee.""#]],
    );
    check(
        SubmitLead {
            visitor: "short".into(),
            ..lead("newsletter", Some("chat"), &[], false)
        },
        expect![[r#"
            visitor: must be 8 to 64 letters, digits, `_` or `-`
            campaign: campaign "newsletter" has no lead form"#]],
    );
    check(
        lead("winter-promo", None, &[], false),
        expect![[r#"campaign: campaign "winter-promo" is not live"#]],
    );
    check(
        lead("demo-lead", Some("b"), &[], false),
        expect![[r#"variant: campaign "demo-lead" has no variant "b""#]],
    );
}

#[test]
fn only_a_live_handoff_campaign_hands_a_new_conversation_over() {
    let site = site();
    let opened = |id: &str, variant: Option<&str>| {
        let campaign_ref = CampaignRef {
            id: id.into(),
            variant: variant.map(str::to_string),
        };
        match opening_campaign(&site, Some(&campaign_ref)) {
            Ok(Some(campaign)) => format!(
                "{id}: {:?} to team {:?}, intent {:?}, topic {:?}",
                campaign.handoff.reason,
                campaign.handoff.team,
                campaign.handoff.intent,
                campaign.topic
            ),
            Ok(None) => format!("{id}: no handoff"),
            Err(errors) => format!("{id}: {}", errors[0]),
        }
    };
    let shown = [
        opened("talk-to-sales", None),
        opened("pricing-help", Some("short")),
        opened("winter-promo", None),
        opened("pricing-help", Some("tall")),
        opened("nope", None),
    ];
    expect![[r#"
        talk-to-sales: Campaign to team Some(0), intent Sales, topic "Talk to Sales about volume"
        pricing-help: no handoff
        winter-promo: no handoff
        pricing-help: campaign.variant: campaign "pricing-help" has no variant "tall"
        nope: campaign: site "campaigns" has no campaign "nope""#]]
    .assert_eq(&shown.join("\n"));
    assert_eq!(opening_campaign(&site, None), Ok(None));
}

#[test]
fn staffing_names_the_sites_teams_online_or_a_star_without_teams() {
    let site = site();
    let online = Online {
        teams: vec!["sales".into(), "gone".into()],
        anyone: true,
    };
    let staffing = staffing_now(&site, &online, OPEN);
    assert_eq!(
        (staffing.teams_online, staffing.open),
        (vec!["sales".to_string()], true)
    );
    assert!(!staffing_now(&site, &Online::default(), CLOSED).open);
    let solo = SiteConfig {
        teams: Vec::new(),
        business_hours: Default::default(),
        ..site
    };
    let anyone = Online {
        teams: Vec::new(),
        anyone: true,
    };
    assert_eq!(staffing_now(&solo, &anyone, CLOSED).teams_online, ["*"]);
    assert!(
        staffing_now(&solo, &Online::default(), CLOSED).open,
        "no hours: always open"
    );
    assert!(
        staffing_now(&solo, &Online::default(), CLOSED)
            .teams_online
            .is_empty()
    );
}
