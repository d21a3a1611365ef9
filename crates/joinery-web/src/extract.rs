//! Extractors shared by the API and the pages: an identifier from the path, parsed into its
//! domain type, and a request body that must be UTF-8 text. Each refuses in the caller's own
//! terms: a problem document on the API, a page on the pages.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::IntoResponse;
use joinery_app::ClientAddress;
use joinery_domain::{ActionId, Asn, CaseId, Urn};

use crate::ApiError;
use crate::pages::PageError;

/// An identifier that appears in a route's path under a name of its own.
pub(crate) trait FromPath: Sized {
    /// The route's name for it: `id` in `/cases/{id}`.
    const PARAM: &'static str;
    fn parse(text: &str) -> Option<Self>;
}

/// Each identifier's route parameter, parsed by its own constructor.
macro_rules! from_path {
    ($($ty:ty => $param:literal),* $(,)?) => {$(
        impl FromPath for $ty {
            const PARAM: &'static str = $param;
            fn parse(text: &str) -> Option<Self> {
                Self::parse(text).ok()
            }
        }
    )*};
}

from_path!(CaseId => "id", ActionId => "action", Urn => "urn", Asn => "asn");

/// How a caller says "not found": what a malformed identifier gets, exactly as an identifier of
/// nothing the caller may see.
pub(crate) trait NotFound: IntoResponse {
    fn not_found() -> Self;
}

impl NotFound for ApiError {
    fn not_found() -> Self {
        Self::NotFound
    }
}

impl NotFound for PageError {
    fn not_found() -> Self {
        Self::NotFound
    }
}

/// An identifier from the path, parsed; `E` is how a malformed one is refused.
pub(crate) struct PathId<T, E>(pub(crate) T, pub(crate) PhantomData<fn() -> E>);

/// A case id from the path of an API route.
pub(crate) type ApiCase = PathId<CaseId, ApiError>;
/// A URN from the path of an API route.
pub(crate) type ApiUrn = PathId<Urn, ApiError>;
/// An ASN from the path of an API route.
pub(crate) type ApiAsn = PathId<Asn, ApiError>;
/// A case id from the path of a page.
pub(crate) type PageCase = PathId<CaseId, PageError>;
/// An action id from the path of a page.
pub(crate) type PageAction = PathId<ActionId, PageError>;

impl<S: Send + Sync, T: FromPath, E: NotFound> FromRequestParts<S> for PathId<T, E> {
    type Rejection = E;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // A path whose parameters are not text names nothing of ours either.
        let Ok(params) = RawPathParams::from_request_parts(parts, state).await else {
            return Err(E::not_found());
        };
        params
            .iter()
            .find(|(name, _)| *name == T::PARAM)
            .and_then(|(_, text)| T::parse(text))
            .map(|id| Self(id, PhantomData))
            .ok_or_else(E::not_found)
    }
}

/// A request body as UTF-8 text, within the body limit.
pub(crate) struct Utf8Body(pub(crate) String);

impl<S: Send + Sync> FromRequest<S> for Utf8Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection {
                    BytesRejection::FailedToBufferBody(_) => ApiError::BodyTooLarge,
                    other => ApiError::Malformed(other.body_text()),
                })?;
        String::from_utf8(bytes.to_vec())
            .map(Self)
            .map_err(|error| {
                ApiError::Malformed(format!(
                    "the body is not UTF-8 text: {}",
                    error.utf8_error()
                ))
            })
    }
}

/// A JSON request body read as `T`: a problem naming the field at fault when it is not (never
/// axum's own plain-text rejection, nor serde's words for its internals).
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .split(';')
                    .next()
                    .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let Utf8Body(text) = Utf8Body::from_request(request, state).await?;
        joinery_app::read_json(&text)
            .map(Self)
            .map_err(ApiError::Rejected)
    }
}

/// A query string read as `T`; `E` says how one that does not read is refused (a problem on
/// the API, a page on the pages).
pub(crate) struct QueryOf<T, E>(pub(crate) T, pub(crate) PhantomData<fn() -> E>);

/// How a caller says "that request cannot be read".
pub(crate) trait BadQuery: IntoResponse {
    fn bad_query(problem: String) -> Self;
}

impl BadQuery for ApiError {
    fn bad_query(problem: String) -> Self {
        Self::Malformed(format!("the query string cannot be read: {problem}"))
    }
}

impl BadQuery for PageError {
    fn bad_query(_: String) -> Self {
        Self::BadRequest
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned, E: BadQuery> FromRequestParts<S>
    for QueryOf<T, E>
{
    type Rejection = E;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|query| Self(query.0, PhantomData))
            .map_err(|rejection| {
                // axum's words name the query's field and problem; nothing of serde's inside.
                let text = rejection.body_text();
                let problem = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                E::bad_query(problem.to_owned())
            })
    }
}

/// A query string on an API route.
pub(crate) type ApiQuery<T> = QueryOf<T, ApiError>;
/// A query string on a page.
pub(crate) type PageQuery<T> = QueryOf<T, PageError>;

/// Where a request came from: the peer's network address (the server is served with
/// `ConnectInfo`), for what is limited per client. Behind a proxy every request would share
/// the proxy's address; served without `ConnectInfo` (a test of the router alone), all share
/// one unspecified address.
pub(crate) struct Client(pub(crate) ClientAddress);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |info| info.0.ip());
        Ok(Self(ClientAddress::new(address)))
    }
}
