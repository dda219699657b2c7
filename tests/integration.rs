//! One integration test binary: each area is a module.

mod common;
mod ps_aux;
mod top;
