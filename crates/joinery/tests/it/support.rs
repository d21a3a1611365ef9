//! A Joinery server for one test: a fresh database in a temporary directory, the model office's
//! agencies with a key each, served on a free loopback port.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use joinery::model_office;
use joinery_store::ApiKey;
use joinery_web::AppState;
use reqwest::{Client, RequestBuilder, Response};
use tempfile::TempDir;

pub struct TestServer {
    pub base: String,
    pub client: Client,
    pub state: AppState,
    keys: HashMap<String, String>,
    dir: TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (_store, state) = joinery::server::open(
            &dir.path().join("joinery.sqlite"),
            joinery_policy::SharingPolicy::builtin(),
        )
        .await
        .expect("open store");
        let mut keys = HashMap::new();
        for agency in model_office::agencies() {
            let key = ApiKey::generate().expect("randomness");
            state
                .store
                .add_agency(agency.clone())
                .await
                .expect("add agency");
            state
                .store
                .add_api_key(agency.code.clone(), key.hash())
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
            keys,
            dir,
        }
    }

    /// The server's database file, for tests that look at what was stored.
    pub fn database(&self) -> PathBuf {
        self.dir.path().join("joinery.sqlite")
    }

    pub fn key(&self, agency: &str) -> &str {
        self.keys
            .get(agency)
            .map(String::as_str)
            .expect("known agency")
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

/// The repository's `examples/messages/` directory.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/messages")
}

pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .expect("examples directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}
