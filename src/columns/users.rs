//! Columns of user and group identities, as names or numbers. Never reads /proc.

use super::{Column, Ctx, Key, Process, Row, Width, put, put_name};
use crate::proc::Needs;

const ST: Needs = Needs::STATUS;
const W8: Width = Width::Fixed(8);
const W5: Width = Width::Fixed(5);
const W20: Width = Width::Fixed(20);
const W40: Width = Width::Fixed(40);

fn uid(p: &Process, i: usize) -> u32 {
    p.status
        .as_ref()
        .map_or_else(|| if i == 1 { p.euid() } else { 0 }, |s| s.uid[i])
}
fn gid(p: &Process, i: usize) -> u32 {
    p.status.as_ref().map_or(0, |s| s.gid[i])
}

fn user_text(r: &Row, cx: &Ctx, max: usize, o: &mut String, i: usize) -> usize {
    let id = uid(r.p, i);
    put_name(o, cx, cx.user_name(id), id, max)
}
fn group_text(r: &Row, cx: &Ctx, max: usize, o: &mut String, i: usize) -> usize {
    let id = gid(r.p, i);
    put_name(o, cx, cx.group_name(id), id, max)
}
fn user_key(p: &Process, cx: &Ctx, i: usize) -> Key {
    let id = uid(p, i);
    Key::Text(
        cx.user_name(id)
            .unwrap_or_else(|| id.to_string())
            .into_bytes(),
    )
}
fn group_key(p: &Process, cx: &Ctx, i: usize) -> Key {
    let id = gid(p, i);
    Key::Text(
        cx.group_name(id)
            .unwrap_or_else(|| id.to_string())
            .into_bytes(),
    )
}

macro_rules! ids {
    ($($un:ident $uk:ident $gn:ident $gk:ident $uidk:ident $uidt:ident $gidk:ident $gidt:ident = $i:expr;)*) => {$(
        fn $un(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize { user_text(r, cx, max, o, $i) }
        fn $uk(p: &Process, cx: &Ctx) -> Key { user_key(p, cx, $i) }
        fn $gn(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize { group_text(r, cx, max, o, $i) }
        fn $gk(p: &Process, cx: &Ctx) -> Key { group_key(p, cx, $i) }
        fn $uidk(p: &Process, _: &Ctx) -> Key { Key::Int(uid(p, $i).into()) }
        fn $uidt(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize { put(o, uid(r.p, $i)) }
        fn $gidk(p: &Process, _: &Ctx) -> Key { Key::Int(gid(p, $i).into()) }
        fn $gidt(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize { put(o, gid(r.p, $i)) }
    )*};
}

ids! {
    ruser ruser_k rgroup rgroup_k ruid_k ruid_t rgid_k rgid_t = 0;
    euser euser_k egroup egroup_k euid_k euid_t egid_k egid_t = 1;
    suser suser_k sgroup sgroup_k suid_k suid_t sgid_k sgid_t = 2;
    fuser fuser_k fgroup fgroup_k fuid_k fuid_t fgid_k fgid_t = 3;
}

#[rustfmt::skip]
fn groups(p: &Process) -> &[u32] {
    p.status.as_ref().map_or(&[], |s| s.groups.as_slice())
}
fn supgid(r: &Row, _: &Ctx, max: usize, o: &mut String) -> usize {
    let g = groups(r.p);
    let s = if g.is_empty() {
        "-".to_string()
    } else {
        g.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
    };
    let s = &s[..s.len().min(max)];
    put(o, s)
}
fn supgrp(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let g = groups(r.p);
    let s = if g.is_empty() {
        "-".to_string()
    } else {
        g.iter()
            .map(|&id| cx.group_name(id).unwrap_or_else(|| id.to_string()))
            .collect::<Vec<_>>()
            .join(",")
    };
    crate::text::escape(s.as_bytes(), cx.charset, max, o)
}
fn groups_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(
        groups(p)
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
            .into_bytes(),
    )
}

pub(super) static COLUMNS: &[Column] = &[
    col!(
        "user" | "uname",
        "USER",
        W8,
        User,
        ST,
        Some(euser_k),
        euser,
        "effective user name (uid if unknown or too long)"
    ),
    col!(
        "euser",
        "EUSER",
        W8,
        User,
        ST,
        Some(euser_k),
        euser,
        "effective user name"
    ),
    col!(
        "uid_hack",
        "UID",
        W8,
        User,
        ST,
        Some(euser_k),
        euser,
        "effective user name, as -f shows it"
    ),
    col!(
        "ruser",
        "RUSER",
        W8,
        User,
        ST,
        Some(ruser_k),
        ruser,
        "real user name"
    ),
    col!(
        "suser",
        "SUSER",
        W8,
        User,
        ST,
        Some(suser_k),
        suser,
        "saved user name"
    ),
    col!(
        "svuser",
        "SVUSER",
        W8,
        User,
        ST,
        Some(suser_k),
        suser,
        "saved user name"
    ),
    col!(
        "fuser",
        "FUSER",
        W8,
        User,
        ST,
        Some(fuser_k),
        fuser,
        "file-system access user name"
    ),
    col!(
        "fsuser",
        "FSUSER",
        W8,
        User,
        ST,
        Some(fuser_k),
        fuser,
        "file-system access user name"
    ),
    col!(
        "uid",
        "UID",
        W5,
        Right,
        ST,
        Some(euid_k),
        euid_t,
        "effective user id"
    ),
    col!(
        "euid",
        "EUID",
        W5,
        Right,
        ST,
        Some(euid_k),
        euid_t,
        "effective user id"
    ),
    col!(
        "ruid",
        "RUID",
        W5,
        Right,
        ST,
        Some(ruid_k),
        ruid_t,
        "real user id"
    ),
    col!(
        "suid",
        "SUID",
        W5,
        Right,
        ST,
        Some(suid_k),
        suid_t,
        "saved user id"
    ),
    col!(
        "svuid",
        "SVUID",
        W5,
        Right,
        ST,
        Some(suid_k),
        suid_t,
        "saved user id"
    ),
    col!(
        "fuid",
        "FUID",
        W5,
        Right,
        ST,
        Some(fuid_k),
        fuid_t,
        "file-system access user id"
    ),
    col!(
        "fsuid",
        "FSUID",
        W5,
        Right,
        ST,
        Some(fuid_k),
        fuid_t,
        "file-system access user id"
    ),
    col!(
        "group",
        "GROUP",
        W8,
        User,
        ST,
        Some(egroup_k),
        egroup,
        "effective group name"
    ),
    col!(
        "egroup",
        "EGROUP",
        W8,
        User,
        ST,
        Some(egroup_k),
        egroup,
        "effective group name"
    ),
    col!(
        "rgroup",
        "RGROUP",
        W8,
        User,
        ST,
        Some(rgroup_k),
        rgroup,
        "real group name"
    ),
    col!(
        "sgroup",
        "SGROUP",
        W8,
        User,
        ST,
        Some(sgroup_k),
        sgroup,
        "saved group name"
    ),
    col!(
        "svgroup",
        "SVGROUP",
        W8,
        User,
        ST,
        Some(sgroup_k),
        sgroup,
        "saved group name"
    ),
    col!(
        "fgroup",
        "FGROUP",
        W8,
        User,
        ST,
        Some(fgroup_k),
        fgroup,
        "file-system access group name"
    ),
    col!(
        "fsgroup",
        "FSGROUP",
        W8,
        User,
        ST,
        Some(fgroup_k),
        fgroup,
        "file-system access group name"
    ),
    col!(
        "supgid",
        "SUPGID",
        W20,
        Unlimited,
        ST,
        Some(groups_key),
        supgid,
        "supplementary group ids"
    ),
    col!(
        "supgrp",
        "SUPGRP",
        W40,
        Unlimited,
        ST,
        Some(groups_key),
        supgrp,
        "supplementary group names"
    ),
    col!(
        "gid",
        "GID",
        W5,
        Right,
        ST,
        Some(egid_k),
        egid_t,
        "effective group id"
    ),
    col!(
        "egid",
        "EGID",
        W5,
        Right,
        ST,
        Some(egid_k),
        egid_t,
        "effective group id"
    ),
    col!(
        "rgid",
        "RGID",
        W5,
        Right,
        ST,
        Some(rgid_k),
        rgid_t,
        "real group id"
    ),
    col!(
        "sgid",
        "SGID",
        W5,
        Right,
        ST,
        Some(sgid_k),
        sgid_t,
        "saved group id"
    ),
    col!(
        "svgid",
        "SVGID",
        W5,
        Right,
        ST,
        Some(sgid_k),
        sgid_t,
        "saved group id"
    ),
    col!(
        "fgid",
        "FGID",
        W5,
        Right,
        ST,
        Some(fgid_k),
        fgid_t,
        "file-system access group id"
    ),
    col!(
        "fsgid",
        "FSGID",
        W5,
        Right,
        ST,
        Some(fgid_k),
        fgid_t,
        "file-system access group id"
    ),
];
