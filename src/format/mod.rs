//! Text layout shared by the compat commands: procps's ps row algorithm ([`layout`]).
//! Never reads /proc.

pub mod layout;
