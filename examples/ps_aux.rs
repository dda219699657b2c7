//! `ps aux` in three lines: every process, printed exactly as `gopsi ps aux` prints it.
//!
//! `cargo run --example ps_aux`

fn main() -> Result<(), gopsi::Error> {
    print!("{}", gopsi::Listing::collect()?);
    Ok(())
}
