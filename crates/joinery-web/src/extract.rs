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
