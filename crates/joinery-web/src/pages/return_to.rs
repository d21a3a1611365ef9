//! Where a person was going when they were asked to sign in: a page of this site, carried
//! through the sign-in form and followed once they are signed in, so that a link to a case
//! sent by a colleague still opens the case. Only a path on this site is followed: a link cannot
//! send someone signing in to another site (an open redirect). Pages put no personal data in
//! their addresses, so the path carries none.

/// A path on this site, with its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReturnTo(String);

/// The longest path carried: longer is not a page of this site.
const LONGEST: usize = 2_000;

impl ReturnTo {
    /// A path that begins with one `/` (not `//` nor `/\`, which browsers read as another
    /// host), of printable ASCII, not the sign-in or sign-out pages themselves; `None` for
    /// anything else, which is then not followed.
    pub(crate) fn parse(input: &str) -> Option<Self> {
        let local = input.starts_with('/')
            && !input.starts_with("//")
            && !input.starts_with("/\\")
            && input.len() <= LONGEST
            && input.bytes().all(|byte| byte.is_ascii_graphic());
        let page = !["/sign-in", "/sign-out"]
            .iter()
            .any(|own| input == *own || input.starts_with(&format!("{own}?")));
        (local && page && input != "/").then(|| Self(input.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The sign-in page's address that carries this path on, after `notice` (`expired=1`, or
    /// empty for none).
    pub(crate) fn sign_in(this: Option<&Self>, notice: &str) -> String {
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some((name, value)) = notice.split_once('=') {
            query.push((name, value));
        }
        if let Some(this) = this {
            query.push(("next", this.as_str()));
        }
        match serde_urlencoded::to_string(&query) {
            Ok(encoded) if !encoded.is_empty() => format!("/sign-in?{encoded}"),
            _ => "/sign-in".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReturnTo;

    #[test]
    fn only_a_page_of_this_site_is_followed() {
        for followed in [
            "/cases/JC-01ab",
            "/measures?report=trials&period=2026-Q4",
            "/court",
        ] {
            assert_eq!(
                ReturnTo::parse(followed).map(|to| to.as_str().to_owned()),
                Some(followed.to_owned())
            );
        }
        for refused in [
            "",
            "/",
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/cases/a b",
            "/sign-in",
            "/sign-in?next=/x",
            "/sign-out",
            "/caf\u{e9}",
        ] {
            assert_eq!(ReturnTo::parse(refused), None, "`{refused}`");
        }
        assert!(ReturnTo::parse(&format!("/{}", "a".repeat(2_000))).is_none());
    }

    #[test]
    fn the_sign_in_address_carries_the_path_encoded() {
        let to = ReturnTo::parse("/measures?report=trials&period=2026-Q4");
        assert_eq!(
            ReturnTo::sign_in(to.as_ref(), "expired=1"),
            "/sign-in?expired=1&next=%2Fmeasures%3Freport%3Dtrials%26period%3D2026-Q4"
        );
        assert_eq!(ReturnTo::sign_in(None, ""), "/sign-in");
    }
}
