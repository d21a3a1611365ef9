//! A Joinery server for one test: a fresh database in a temporary directory, the model office's
//! agencies with a key each, served on a free loopback port. `html` reads pages as a browser
//! would; `fixtures` finds the messages tests translate.

pub mod database;
pub mod feeds;
pub mod fixtures;
pub mod html;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use joinery::model_office;
use joinery_app::App;
use joinery_store::SqlStore;
use joinery_web::AppState;
use reqwest::{Client, RequestBuilder, Response};
use tempfile::TempDir;

pub struct TestServer {
    pub base: String,
    pub client: Client,
    pub state: AppState,
    /// The store itself, for tests that look beneath the application layer.
    pub store: SqlStore,
    keys: HashMap<String, String>,
    /// The test's database (dropped, on PostgreSQL, when the test ends), and its directory.
    pub db: database::TestDatabase,
    /// Kept for as long as the server: its files live there.
    _dir: TempDir,
    people: Mutex<Vec<String>>,
}

/// The password every test person gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A person signed in: their requests carry the session cookie.
pub struct Person {
    base: String,
    client: Client,
    pub cookie: String,
}

impl Person {
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .json(body)
    }

    /// A web page, with its status; redirects are not followed.
    pub async fn page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = html::browser()
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request");
        (response.status(), response.text().await.unwrap_or_default())
    }

    /// Posts a page's form as a browser would: its `fields` with the CSRF `token` the page
    /// carried and the token's cookie. Redirects are not followed.
    pub async fn submit(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> Response {
        let mut form = fields.to_vec();
        form.push(("csrf", token));
        html::browser()
            .post(format!("{}{path}", self.base))
            .header(
                "cookie",
                format!("{}; __Host-joinery_csrf={token}", self.cookie),
            )
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    /// Posts `fields` with a CSRF `token` but without the token's cookie, as a form forged on
    /// another site would arrive.
    pub async fn forged(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> Response {
        let mut form = fields.to_vec();
        form.push(("csrf", token));
        html::browser()
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    /// The body of a GET, with its status.
    pub async fn fetch(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        let response = self.get(path).send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or_default())
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_trusting(&[]).await
    }

    /// A server whose agencies' webhooks may also reach `hosts` (by plain http, or inside), as
    /// an operator allows their own network's endpoints: a test's receiver on 127.0.0.1.
    pub async fn start_trusting(hosts: &[&str]) -> Self {
        Self::start_with(hosts, None).await
    }

    /// A server on `db`: a test's own SQLite file, say, whichever engine the run stores on.
    pub async fn start_on(db: database::TestDatabase) -> Self {
        Self::start_with(&[], Some(db)).await
    }

    async fn start_with(hosts: &[&str], db: Option<database::TestDatabase>) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = db.unwrap_or_else(|| database::TestDatabase::fresh(dir.path()));
        let (store, mut state) = joinery::server::open_with(
            db.location(),
            joinery_policy::SharingPolicy::builtin(),
            standing_data(),
            joinery_app::OutboundPolicy::trusting(hosts),
        )
        .await
        .expect("open store");
        state.node_modules = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules"))
            .filter(|dir| dir.is_dir());
        let mut keys = HashMap::new();
        for agency in model_office::agencies() {
            state
                .app
                .add_agency(agency.clone())
                .await
                .expect("add agency");
            let key = state
                .app
                .create_key(agency.code.clone())
                .await
                .expect("add key");
            keys.insert(agency.code.to_string(), key.reveal().to_owned());
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(joinery::server::serve(listener, state.clone()));
        Self {
            base,
            client: Client::new(),
            state,
            store,
            keys,
            db,
            _dir: dir,
            people: Mutex::new(Vec::new()),
        }
    }

    /// A second server on this one's database, served on a port of its own: its address, and
    /// its store (to close). It shares nothing with the first but the database.
    pub async fn beside(&self) -> (String, SqlStore) {
        let (store, state) = joinery::server::open_with(
            self.db.location(),
            joinery_policy::SharingPolicy::builtin(),
            standing_data(),
            joinery_app::OutboundPolicy::strict(),
        )
        .await
        .expect("open a second server");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(joinery::server::serve(listener, state));
        (base, store)
    }

    /// Registers one more agency, with a key for its system: a second police force or CPS area,
    /// say, to attack cases it does not work on.
    pub async fn add_agency(&mut self, code: &str, kind: joinery_domain::AgencyKind) {
        let agency = joinery_app::Agency {
            code: joinery_domain::AgencyCode::parse(code).expect("an agency code"),
            kind,
            name: joinery_domain::SystemName::parse(&format!("{code} (test)")).expect("a name"),
        };
        self.app()
            .add_agency(agency.clone())
            .await
            .expect("add agency");
        let key = self.app().create_key(agency.code).await.expect("add key");
        self.keys.insert(code.to_owned(), key.reveal().to_owned());
    }

    /// Adds the model office's person `username` (once) with [`PASSWORD`].
    pub async fn add_person(&self, username: &str) {
        let (name, agency, role) = model_office::PEOPLE
            .iter()
            .find(|(name, _, _)| *name == username)
            .copied()
            .expect("a model-office person");
        self.add_user(name, agency, role).await;
    }

    /// Adds `username` at `agency` in `role` (once) with [`PASSWORD`].
    pub async fn add_user(&self, username: &str, agency: &str, role: joinery_domain::Role) {
        if self
            .people
            .lock()
            .expect("lock")
            .iter()
            .any(|p| p == username)
        {
            return;
        }
        self.app()
            .add_user(
                joinery_domain::Username::parse(username).expect("name"),
                joinery_domain::AgencyCode::parse(agency).expect("agency"),
                role,
                PASSWORD.to_owned(),
                false,
            )
            .await
            .expect("add person");
        self.people.lock().expect("lock").push(username.to_owned());
    }

    /// Signs in with a user name and password; the raw response.
    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.client
            .post(format!("{}/api/v1/session", self.base))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request")
    }

    /// The model office's person `username`, added if need be and signed in.
    pub async fn person(&self, username: &str) -> Person {
        self.add_person(username).await;
        self.signed_in(username).await
    }

    /// `username`, already added, signed in with [`PASSWORD`].
    pub async fn signed_in(&self, username: &str) -> Person {
        let response = self.sign_in(username, PASSWORD).await;
        assert_eq!(
            response.status(),
            reqwest::StatusCode::CREATED,
            "{username} signs in"
        );
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .expect("a session cookie")
            .to_owned();
        Person {
            base: self.base.clone(),
            client: self.client.clone(),
            cookie,
        }
    }

    /// Posts `messages` as their agencies' systems, each accepted.
    pub async fn send_all(&self, messages: &[serde_json::Value]) -> String {
        let mut case_id = String::new();
        for message in messages {
            let agency = message["agency"].as_str().expect("agency");
            let response = self.post(agency, message.to_string()).await;
            assert_eq!(response.status(), reqwest::StatusCode::CREATED, "{message}");
            let answer: serde_json::Value = response.json().await.expect("json");
            case_id = answer["case_id"].as_str().expect("case id").to_owned();
        }
        case_id
    }

    /// Loads the model office's first `cases` cases, as of today; their messages.
    pub async fn load_model_office(&self, cases: u32) -> Vec<joinery_domain::CanonicalMessage> {
        let today = joinery_domain::Timestamp::now().date();
        let mut dice = model_office::Dice::new(0x10CA1);
        let messages: Vec<_> = (1..=cases)
            .filter_map(|number| model_office::case_messages(number, today, &mut dice))
            .flatten()
            .collect();
        joinery::load::load_messages(self.app(), messages.iter().cloned(), messages.len(), false)
            .await
            .expect("the model office loads");
        messages
    }

    /// The application the server serves.
    pub fn app(&self) -> &App {
        &self.state.app
    }

    /// A registered agency as a sender of messages, for loading files on its behalf.
    pub async fn sender(&self, agency: &str) -> joinery_domain::assertions::Sender {
        let code = joinery_domain::AgencyCode::parse(agency).expect("an agency code");
        self.app()
            .senders()
            .await
            .expect("the agencies")
            .remove(&code)
            .unwrap_or_else(|| panic!("{agency} is not registered"))
    }

    /// Whether the MoJ standing data is installed for this server.
    pub fn has_reference(&self) -> bool {
        self.app().reference().is_some()
    }

    /// The server's database file, for tests that look at what was stored in it directly.
    pub fn database(&self) -> PathBuf {
        self.db
            .file()
            .expect("this test reads the SQLite file directly")
            .to_owned()
    }

    pub fn key(&self, agency: &str) -> &str {
        self.keys
            .get(agency)
            .map(String::as_str)
            .expect("known agency")
    }

    /// A GET by `agency`'s system: the answer's status and its body as JSON (null if it is not).
    pub async fn fetch(
        &self,
        agency: &str,
        path: &str,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let response = self.get(agency, path).send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or_default())
    }

    /// A message in an agency's own `format` (`spi-results`, `common-platform`), as `agency`'s
    /// system sends it.
    pub async fn post_format(
        &self,
        agency: &str,
        format: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(format!("{}/api/v1/messages/{format}", self.base))
            .bearer_auth(self.key(agency))
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub fn get(&self, agency: &str, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(self.key(agency))
    }

    pub async fn post(&self, agency: &str, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .post(format!("{}/api/v1/messages", self.base))
            .bearer_auth(self.key(agency))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request")
    }
}

/// The standing data installed by `npm ci`, loaded once for every test. Without it the tests
/// that need it cannot run: under CI that is a failure; elsewhere they say so and stop.
pub fn standing_data() -> Option<std::sync::Arc<joinery_reference::StandingData>> {
    static DATA: std::sync::OnceLock<Option<std::sync::Arc<joinery_reference::StandingData>>> =
        std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        match joinery::reference::load(&joinery::reference::default_dir(&root)) {
            Ok(data) => Some(std::sync::Arc::new(data)),
            Err(error) if std::env::var_os("CI").is_some() => panic!("{error:#}"),
            Err(error) => {
                eprintln!("skipped: {error:#}");
                None
            }
        }
    })
    .clone()
}

/// A day as the pages write it: `3 December 2026`.
pub fn in_words(date: time::Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// A day the pages wrote, read back: `3 December 2026`.
pub fn from_words(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[day padding:none] [month repr:long] [year]"),
    )
    .ok()
}
