//! The one integration-test binary: each test opens its own real SQLite file and, where it
//! speaks HTTP, serves the real router on a loopback port.

mod api;
mod audit;
mod browser;
mod caseload_rows;
mod common_platform;
mod contract;
mod csv;
mod feed;
mod hostile;
mod load;
mod measures;
mod migrate;
mod national;
mod need_to_know;
mod pages;
mod people;
mod policy;
mod simulate;
mod spi;
mod store;
mod support;
mod unplaced;
mod unread;
mod webhooks;
