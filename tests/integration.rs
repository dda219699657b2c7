//! One integration test binary: each area is a module.

mod common;
mod inspect;
mod ps_aux;
