//! Validation of a parsed site configuration: every rule it breaks, each with its field path, in field order.

use super::{
    BusinessHours, ConfigError, EmbeddingsProvider, EmbeddingsSettings, Interval, MAX_ANSWER_CHARS,
    SiteConfig, parse_date, parse_time,
};
use crate::origin::OriginPattern;
use crate::vocab::Locale;

impl SiteConfig {
    /// Every rule the configuration breaks, in field order.
    pub fn validate(&self) -> Vec<ConfigError> {
        let mut errors = Errors::default();
        errors.check_slug("id", &self.id);
        errors.check_text("name", &self.name, 200);
        if self.allowed_origins.is_empty() {
            errors.push("allowed_origins", "must list at least one origin");
        }
        for (index, origin) in self.allowed_origins.iter().enumerate() {
            if let Err(problem) = OriginPattern::parse(origin) {
                errors.push(format!("allowed_origins[{index}]"), problem);
            }
        }
        if !self.locale.is_supported() {
            errors.push(
                "locale",
                format!(
                    "\"{}\" is not supported; use one of {}",
                    self.locale,
                    Locale::SUPPORTED.join(", ")
                ),
            );
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            errors.push(
                "timezone",
                format!(
                    "\"{}\" is not an IANA timezone such as Europe/London",
                    self.timezone
                ),
            );
        }
        errors.check_hours(&self.business_hours);
        if !(1..=3_650).contains(&self.retention_days) {
            errors.push("retention_days", "must be between 1 and 3650 days");
        }
        if !(1..=3_650).contains(&self.metrics_retention_days) {
            errors.push("metrics_retention_days", "must be between 1 and 3650 days");
        }
        if !(1..=90).contains(&self.conversion_window_days) {
            errors.push("conversion_window_days", "must be between 1 and 90 days");
        }
        for (index, goal) in self.goals.iter().enumerate() {
            errors.check_text(&format!("goals[{index}].event"), &goal.event, 100);
            if let Some(label) = &goal.label {
                errors.check_text(&format!("goals[{index}].label"), label, 80);
            }
            if self.goals[..index]
                .iter()
                .any(|earlier| earlier.event == goal.event)
            {
                errors.push(
                    format!("goals[{index}].event"),
                    format!("\"{}\" is already a goal", goal.event),
                );
            }
        }
        for (index, team) in self.teams.iter().enumerate() {
            let path = |field: &str| format!("teams[{index}].{field}");
            errors.check_id("teams", index, self.teams.iter().map(|team| &team.id));
            errors.check_text(&path("name"), &team.name, 80);
            if team.intents.is_empty() {
                errors.push(path("intents"), "must list at least one intent");
            }
            if team.reply_minutes == 0 || team.reply_minutes > 7 * 24 * 60 {
                errors.push(path("reply_minutes"), "must be between 1 and 10080 minutes");
            }
            for (position, topic) in team.topics.iter().enumerate() {
                errors.check_text(&format!("teams[{index}].topics[{position}]"), topic, 80);
            }
        }
        errors.check_text(
            "messages.fallback",
            &self.messages.fallback,
            MAX_ANSWER_CHARS,
        );
        let colour = &self.appearance.colour;
        let hex = colour.len() == 7
            && colour.starts_with('#')
            && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !hex {
            errors.push(
                "appearance.colour",
                format!("\"{colour}\" must be a colour #rrggbb"),
            );
        }
        errors.check_text(
            "appearance.launcher_text",
            &self.appearance.launcher_text,
            40,
        );
        errors.check_text(
            "appearance.greeting",
            &self.appearance.greeting,
            MAX_ANSWER_CHARS,
        );
        for (index, entry) in self.faq.iter().enumerate() {
            let path = |field: &str| format!("faq[{index}].{field}");
            errors.check_id("faq", index, self.faq.iter().map(|entry| &entry.id));
            errors.check_text(&path("question"), &entry.question, 300);
            for (alt, alternate) in entry.alternates.iter().enumerate() {
                errors.check_text(&path(&format!("alternates[{alt}]")), alternate, 300);
            }
            errors.check_text(&path("answer"), &entry.answer, MAX_ANSWER_CHARS);
            for (link, item) in entry.links.iter().enumerate() {
                errors.check_text(&path(&format!("links[{link}].title")), &item.title, 120);
                errors.check_url(&path(&format!("links[{link}].url")), &item.url);
            }
        }
        for (index, group) in self.synonyms.iter().enumerate() {
            if group.len() < 2 {
                errors.push(format!("synonyms[{index}]"), "must list at least two words");
            }
            for (word_index, word) in group.iter().enumerate() {
                if word.split_whitespace().count() != 1 {
                    errors.push(
                        format!("synonyms[{index}][{word_index}]"),
                        format!("\"{word}\" must be one word"),
                    );
                }
            }
        }
        if let Some(model) = &self.ai.model {
            errors.check_text("ai.model", model, 200);
        }
        if let Some(embeddings) = &self.ai.embeddings {
            errors.check_embeddings(embeddings);
        }
        for (index, snippet) in self.knowledge.iter().enumerate() {
            errors.check_text(&format!("knowledge[{index}].title"), &snippet.title, 200);
            errors.check_text(&format!("knowledge[{index}].text"), &snippet.text, 20_000);
            if let Some(url) = &snippet.url {
                errors.check_url(&format!("knowledge[{index}].url"), url);
            }
        }
        let rules = &self.handoff;
        if !(0.0..=1.0).contains(&rules.confidence_threshold) {
            errors.push("handoff.confidence_threshold", "must be between 0 and 1");
        }
        if rules.unanswered_turns == 0 {
            errors.push("handoff.unanswered_turns", "must be at least 1");
        }
        if !(1..=86_400).contains(&rules.missed_after_seconds) {
            errors.push(
                "handoff.missed_after_seconds",
                "must be between 1 and 86400 seconds",
            );
        }
        let team_ids: Vec<&str> = self.teams.iter().map(|team| team.id.as_str()).collect();
        for (path, problem) in
            crate::campaign::validate_campaigns(&self.campaigns, &self.campaign_limits, &team_ids)
        {
            errors.push(path, problem);
        }
        for (index, reply) in self.canned_replies.iter().enumerate() {
            errors.check_text(&format!("canned_replies[{index}].title"), &reply.title, 80);
            errors.check_text(
                &format!("canned_replies[{index}].text"),
                &reply.text,
                MAX_ANSWER_CHARS,
            );
        }
        for (index, webhook) in self.webhooks.iter().enumerate() {
            if let Some(problem) = webhook.url_problem() {
                errors.push(format!("webhooks[{index}].url"), problem);
            }
        }
        if let Some(turnstile) = &self.turnstile {
            errors.check_text("turnstile.site_key", &turnstile.site_key, 100);
        }
        for (list, topics) in [
            ("always_topics", &rules.always_topics),
            ("sensitive_topics", &rules.sensitive_topics),
        ] {
            for (index, topic) in topics.iter().enumerate() {
                errors.check_text(&format!("handoff.{list}[{index}]"), topic, 80);
            }
        }
        for (index, field) in self.pre_chat.fields.iter().enumerate() {
            let path = |name: &str| format!("pre_chat.fields[{index}].{name}");
            errors.check_id(
                "pre_chat.fields",
                index,
                self.pre_chat.fields.iter().map(|field| &field.id),
            );
            errors.check_text(&path("label"), &field.label, 80);
        }
        let faq_ids: Vec<&str> = self.faq.iter().map(|entry| entry.id.as_str()).collect();
        for (path, problem) in
            super::validate_regression_questions(&self.regression_questions, &faq_ids, &team_ids)
        {
            errors.push(path, problem);
        }
        errors.0
    }
}

#[derive(Default)]
struct Errors(Vec<ConfigError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, problem: impl Into<String>) {
        self.0.push(ConfigError {
            path: path.into(),
            problem: problem.into(),
        });
    }

    fn check_text(&mut self, path: &str, value: &str, max_chars: usize) {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        } else if chars > max_chars {
            self.push(
                path,
                format!("must be at most {max_chars} characters (got {chars})"),
            );
        }
    }

    fn check_url(&mut self, path: &str, value: &str) {
        if !(value.starts_with("https://")
            || value.starts_with("http://")
            || value.starts_with('/'))
        {
            self.push(
                path,
                format!("\"{value}\" must be an http(s) URL or a path starting with /"),
            );
        }
    }

    fn check_embeddings(&mut self, embeddings: &EmbeddingsSettings) {
        if let Some(model) = &embeddings.model {
            self.check_text("ai.embeddings.model", model, 200);
            if embeddings.provider == EmbeddingsProvider::WorkersAi && !model.starts_with("@cf/") {
                self.push(
                    "ai.embeddings.model",
                    format!("\"{model}\" is not a Workers AI model id (they start with @cf/)"),
                );
            }
        }
        if !(0.0..=1.0).contains(&embeddings.weight) {
            self.push("ai.embeddings.weight", "must be between 0 and 1");
        }
        if let Some(min) = embeddings.min_similarity
            && !(0.0..1.0).contains(&min)
        {
            self.push(
                "ai.embeddings.min_similarity",
                "must be at least 0 and less than 1",
            );
        }
    }

    fn check_hours(&mut self, hours: &BusinessHours) {
        for (day, intervals) in hours.days() {
            self.check_intervals(&format!("business_hours.{day}"), intervals);
        }
        for (index, holiday) in hours.holidays.iter().enumerate() {
            if let Err(problem) = parse_date(&holiday.date) {
                self.push(format!("business_hours.holidays[{index}].date"), problem);
            }
        }
        for (index, special) in hours.overrides.iter().enumerate() {
            let path = format!("business_hours.overrides[{index}]");
            if let Err(problem) = parse_date(&special.date) {
                self.push(format!("{path}.date"), problem);
            } else if let Some(first) = hours.overrides[..index]
                .iter()
                .position(|earlier| earlier.date == special.date)
            {
                self.push(
                    format!("{path}.date"),
                    format!(
                        "duplicates business_hours.overrides[{first}].date \"{}\"",
                        special.date
                    ),
                );
            }
            self.check_intervals(&format!("{path}.intervals"), &special.intervals);
        }
    }

    /// A day's opening intervals, in order: each closes after it opens, and none overlaps the one before.
    fn check_intervals(&mut self, list: &str, intervals: &[Interval]) {
        let mut previous_close = None;
        for (index, interval) in intervals.iter().enumerate() {
            let path = format!("{list}[{index}]");
            let opens = parse_time(&interval.opens)
                .map_err(|problem| self.push(format!("{path}.opens"), problem));
            let closes = parse_time(&interval.closes)
                .map_err(|problem| self.push(format!("{path}.closes"), problem));
            let (Ok(opens), Ok(closes)) = (opens, closes) else {
                continue;
            };
            if closes <= opens {
                self.push(&path, "closes before it opens");
            } else if previous_close.is_some_and(|close| opens < close) {
                self.push(&path, "overlaps the interval before it");
            }
            previous_close = Some(closes);
        }
    }

    /// The id of item `index` of the list at `list`: a valid slug, and not the id of an earlier item.
    fn check_id<'a>(&mut self, list: &str, index: usize, ids: impl Iterator<Item = &'a String>) {
        let ids: Vec<&String> = ids.take(index + 1).collect();
        let Some(id) = ids.get(index) else {
            return;
        };
        let path = format!("{list}[{index}].id");
        self.check_slug(&path, id);
        if let Some(first) = ids[..index].iter().position(|earlier| earlier == id) {
            self.push(path, format!("duplicates {list}[{first}].id \"{id}\""));
        }
    }

    fn check_slug(&mut self, path: &str, value: &str) {
        let valid = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.push(
                path,
                format!("\"{value}\" must be 1-64 lowercase letters, digits or '-'"),
            );
        }
    }
}
