//! Columns of user and group identities, as names or numbers. Never reads /proc.

use super::{Column, Ctx, Row, Width, put, put_name};
use crate::items::Item::*;
use crate::proc::Needs;

const ST: Needs = Needs::STATUS;
/// The effective uid: on procfs the owner of `/proc/PID` (one `statx`, not a read of
/// `status`); `ps` reads `status` instead under a fixture root.
const EU: Needs = Needs::OWNER;
const W8: Width = Width::Fixed(8);
const W5: Width = Width::Fixed(5);
const W20: Width = Width::Fixed(20);
const W40: Width = Width::Fixed(40);

use crate::items::values::{gid, sup_gids, sup_groups, uid};

fn user_text(r: &Row, cx: &Ctx, max: usize, o: &mut String, i: usize) -> usize {
    let id = uid(r.p, i);
    put_name(o, cx, cx.user_name(id), id, max)
}
fn group_text(r: &Row, cx: &Ctx, max: usize, o: &mut String, i: usize) -> usize {
    let id = gid(r.p, i);
    put_name(o, cx, cx.group_name(id), id, max)
}
macro_rules! ids {
    ($($un:ident $gn:ident $uidt:ident $gidt:ident = $i:expr;)*) => {$(
        fn $un(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize { user_text(r, cx, max, o, $i) }
        fn $gn(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize { group_text(r, cx, max, o, $i) }
        fn $uidt(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize { put(o, uid(r.p, $i)) }
        fn $gidt(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize { put(o, gid(r.p, $i)) }
    )*};
}

ids! {
    ruser rgroup ruid_t rgid_t = 0;
    euser egroup euid_t egid_t = 1;
    suser sgroup suid_t sgid_t = 2;
    fuser fgroup fuid_t fgid_t = 3;
}

fn supgid(r: &Row, _: &Ctx, max: usize, o: &mut String) -> usize {
    let s = sup_gids(r.p);
    let s = if s.is_empty() { b"-".to_vec() } else { s };
    put(o, String::from_utf8_lossy(&s[..s.len().min(max)]))
}
fn supgrp(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let s = sup_groups(r.p, cx);
    let s = if s.is_empty() { b"-".to_vec() } else { s };
    crate::text::escape(&s, cx.charset, max, o)
}

pub(super) static COLUMNS: &[Column] = &[
    col!(
        "user" | "uname",
        "USER",
        W8,
        User,
        EU,
        Some(Euser),
        euser,
        "effective user name (uid if unknown or too long)"
    ),
    col!(
        "euser",
        "EUSER",
        W8,
        User,
        EU,
        Some(Euser),
        euser,
        "effective user name"
    ),
    col!(
        "uid_hack",
        "UID",
        W8,
        User,
        EU,
        Some(Euser),
        euser,
        "effective user name, as -f shows it"
    ),
    col!(
        "ruser",
        "RUSER",
        W8,
        User,
        ST,
        Some(Ruser),
        ruser,
        "real user name"
    ),
    col!(
        "suser",
        "SUSER",
        W8,
        User,
        ST,
        Some(Suser),
        suser,
        "saved user name"
    ),
    col!(
        "svuser",
        "SVUSER",
        W8,
        User,
        ST,
        Some(Suser),
        suser,
        "saved user name"
    ),
    col!(
        "fuser",
        "FUSER",
        W8,
        User,
        ST,
        Some(Fuser),
        fuser,
        "file-system access user name"
    ),
    col!(
        "fsuser",
        "FSUSER",
        W8,
        User,
        ST,
        Some(Fuser),
        fuser,
        "file-system access user name"
    ),
    col!(
        "uid",
        "UID",
        W5,
        Right,
        EU,
        Some(Euid),
        euid_t,
        "effective user id"
    ),
    col!(
        "euid",
        "EUID",
        W5,
        Right,
        EU,
        Some(Euid),
        euid_t,
        "effective user id"
    ),
    col!(
        "ruid",
        "RUID",
        W5,
        Right,
        ST,
        Some(Ruid),
        ruid_t,
        "real user id"
    ),
    col!(
        "suid",
        "SUID",
        W5,
        Right,
        ST,
        Some(Suid),
        suid_t,
        "saved user id"
    ),
    col!(
        "svuid",
        "SVUID",
        W5,
        Right,
        ST,
        Some(Suid),
        suid_t,
        "saved user id"
    ),
    col!(
        "fuid",
        "FUID",
        W5,
        Right,
        ST,
        Some(Fuid),
        fuid_t,
        "file-system access user id"
    ),
    col!(
        "fsuid",
        "FSUID",
        W5,
        Right,
        ST,
        Some(Fuid),
        fuid_t,
        "file-system access user id"
    ),
    col!(
        "group",
        "GROUP",
        W8,
        User,
        ST,
        Some(Egroup),
        egroup,
        "effective group name"
    ),
    col!(
        "egroup",
        "EGROUP",
        W8,
        User,
        ST,
        Some(Egroup),
        egroup,
        "effective group name"
    ),
    col!(
        "rgroup",
        "RGROUP",
        W8,
        User,
        ST,
        Some(Rgroup),
        rgroup,
        "real group name"
    ),
    col!(
        "sgroup",
        "SGROUP",
        W8,
        User,
        ST,
        Some(Sgroup),
        sgroup,
        "saved group name"
    ),
    col!(
        "svgroup",
        "SVGROUP",
        W8,
        User,
        ST,
        Some(Sgroup),
        sgroup,
        "saved group name"
    ),
    col!(
        "fgroup",
        "FGROUP",
        W8,
        User,
        ST,
        Some(Fgroup),
        fgroup,
        "file-system access group name"
    ),
    col!(
        "fsgroup",
        "FSGROUP",
        W8,
        User,
        ST,
        Some(Fgroup),
        fgroup,
        "file-system access group name"
    ),
    col!(
        "supgid",
        "SUPGID",
        W20,
        Unlimited,
        ST,
        Some(SupGids),
        supgid,
        "supplementary group ids"
    ),
    col!(
        "supgrp",
        "SUPGRP",
        W40,
        Unlimited,
        ST,
        Some(SupGids),
        supgrp,
        "supplementary group names"
    ),
    col!(
        "gid",
        "GID",
        W5,
        Right,
        ST,
        Some(Egid),
        egid_t,
        "effective group id"
    ),
    col!(
        "egid",
        "EGID",
        W5,
        Right,
        ST,
        Some(Egid),
        egid_t,
        "effective group id"
    ),
    col!(
        "rgid",
        "RGID",
        W5,
        Right,
        ST,
        Some(Rgid),
        rgid_t,
        "real group id"
    ),
    col!(
        "sgid",
        "SGID",
        W5,
        Right,
        ST,
        Some(Sgid),
        sgid_t,
        "saved group id"
    ),
    col!(
        "svgid",
        "SVGID",
        W5,
        Right,
        ST,
        Some(Sgid),
        sgid_t,
        "saved group id"
    ),
    col!(
        "fgid",
        "FGID",
        W5,
        Right,
        ST,
        Some(Fgid),
        fgid_t,
        "file-system access group id"
    ),
    col!(
        "fsgid",
        "FSGID",
        W5,
        Right,
        ST,
        Some(Fgid),
        fgid_t,
        "file-system access group id"
    ),
];
