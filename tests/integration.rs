//! One integration test binary: each area is a module.

mod common;
mod deb;
mod docs;
mod embedder;
mod hardening;
mod hardening_views;
mod inspect;
mod lib_api;
mod partial_proc;
mod ps_aux;
mod ps_fixtures;
mod ps_formats;
mod ps_golden;
mod ps_json;
mod ps_specs;
mod reads;
#[cfg(feature = "serve")]
mod serve;
mod skips;
mod tables;
mod top;
mod top_fields;
mod top_inspect;
mod top_keys;
mod top_summary;
mod toprc;
