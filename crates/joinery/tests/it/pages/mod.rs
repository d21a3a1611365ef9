//! The web pages over real HTTP, a file a page; the HTML helpers they share are in
//! `support::html`.

mod case;
mod caseload;
mod court;
mod governance;
mod measures;
mod messages;
mod people;
mod search;
mod sign_in;
mod work;
