//! procps-ng 4.0.2 top's configuration file (`toprc`, format id `k`): the whole file as a
//! model ([`Toprc`]: global settings, four windows, the "other filter" block and inspect
//! entries), its parser with procps's `fscanf` rules and its two error texts, its formatter
//! (byte for byte what procps's `W` writes), the `/etc/toprc` secure-mode file, and the mapping
//! to and from a [`View`]. Pure: never opens a file (the binary reads and writes them).

use super::args::Opts;
use super::fields::{FIELDS, eu};
use super::render::View;

/// Windows (field groups) in a toprc.
pub const GROUPSMAX: usize = 4;
/// procps's `EU_MAXPFLGS`: the number of real fields.
const MAXPFLGS: usize = FIELDS.len();
/// procps's `PFLAGSSIZ`: room for a window's `fieldscur` (the file may not list more).
const PFLAGSSIZ: usize = 128;
/// procps's `FLD_OFFSET` (`'%'`): a `fieldscur` entry is `((field + 37) << 1) | on`.
pub const FLD_OFFSET: i32 = 37;
/// The format id procps 4.0.2 reads and writes.
pub const VERSION_ID: u8 = b'k';
/// procps's eyecatcher, after `NAME's `.
const EYECATCHER: &str = "Config File (Linux processes with windows)\n";
const OSEL_BEGIN: &str = "begin: saved other filter data -------------------\n";
const OSEL_END: &str = "end  : saved other filter data -------------------\n";

/// Window flags (`winflags`), procps's `View_*`, `Show_*` and `Qsrt_*` bits.
pub mod flag {
    /// `1` off: one `%Cpu(s)` line (on by default).
    pub const VIEW_CPUSUM: i32 = 0x008000;
    /// `2`: NUMA nodes.
    pub const VIEW_CPUNOD: i32 = 0x400000;
    /// `l`: load average line.
    pub const VIEW_LOADAV: i32 = 0x004000;
    /// `t`: task and CPU lines.
    pub const VIEW_STATES: i32 = 0x002000;
    /// `m`: memory lines.
    pub const VIEW_MEMORY: i32 = 0x001000;
    /// `B`: no bold.
    pub const VIEW_NOBOLD: i32 = 0x000008;
    /// `C`: scroll coordinates.
    pub const VIEW_SCROLL: i32 = 0x080000;
    /// `z`: colours.
    pub const SHOW_COLORS: i32 = 0x000800;
    /// `b`: bold instead of reverse.
    pub const SHOW_HIBOLD: i32 = 0x000400;
    /// `x`: sort column highlighted.
    pub const SHOW_HICOLS: i32 = 0x000200;
    /// `y`: running tasks highlighted.
    pub const SHOW_HIROWS: i32 = 0x000100;
    /// `c`: command lines.
    pub const SHOW_CMDLIN: i32 = 0x000080;
    /// `S`: cumulative times.
    pub const SHOW_CTIMES: i32 = 0x000040;
    /// `i` off: idle tasks shown.
    pub const SHOW_IDLEPS: i32 = 0x000020;
    /// `-`: the window's tasks shown in the alternate display.
    pub const SHOW_TASKON: i32 = 0x000010;
    /// `V`: forest view.
    pub const SHOW_FOREST: i32 = 0x000002;
    /// `R`: sorted high to low.
    pub const QSRT_NORMAL: i32 = 0x000004;
    /// `j`: strings right-justified.
    pub const SHOW_JRSTRS: i32 = 0x040000;
    /// `J`: numbers right-justified.
    pub const SHOW_JRNUMS: i32 = 0x020000;
    /// procps's default flags of every window (`DEF_WINFLGS`).
    pub const DEFAULT: i32 = VIEW_LOADAV
        | VIEW_STATES
        | VIEW_CPUSUM
        | VIEW_MEMORY
        | SHOW_HIBOLD
        | SHOW_HIROWS
        | SHOW_IDLEPS
        | SHOW_TASKON
        | SHOW_JRNUMS
        | QSRT_NORMAL;
}

/// A toprc that procps would refuse: its message (after `top: `), status 1 before anything
/// else happens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RcError {
    /// The global lines are missing or out of range.
    #[error("incompatible rcfile, you should delete '{0}'")]
    Incompatible(String),
    /// Window `n` (1-based) is missing or out of range.
    #[error("window entry #{0} corrupt, please delete '{1}'")]
    Window(usize, String),
}

/// One window (field group) of a toprc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Its name (`Def`, `Job`, `Mem`, `Usr`; at most 3 bytes).
    pub name: String,
    /// Every field in display order, `((index + 37) << 1) | visible`.
    pub fieldscur: Vec<i32>,
    /// The [`flag`] bits.
    pub winflags: i32,
    /// The sort field's index.
    pub sortindx: i32,
    /// Maximum task rows (0: no limit).
    pub maxtasks: i32,
    /// `t`'s graph mode.
    pub graph_cpus: i32,
    /// `m`'s graph mode.
    pub graph_mems: i32,
    /// Per-CPU lines abreast (`4`); procps clears it while `%Cpu(s)` is summed.
    pub double_up: i32,
    /// `!`: CPUs combined.
    pub combine_cpus: i32,
    /// `5`: core types.
    pub core_types: i32,
    /// Summary colour.
    pub summclr: i32,
    /// Message colour.
    pub msgsclr: i32,
    /// Header colour.
    pub headclr: i32,
    /// Task colour.
    pub taskclr: i32,
}

/// A whole toprc, as procps holds it between reading and `W`.
#[derive(Debug, Clone, PartialEq)]
pub struct Toprc {
    /// The format id read (`k` when written).
    pub id: u8,
    /// `A`: alternate display.
    pub mode_altscr: i32,
    /// `I`: Irix mode (per-CPU `%CPU` may pass 100).
    pub mode_irixps: i32,
    /// Seconds between frames.
    pub delay: f32,
    /// The current window (0–3).
    pub curwin: usize,
    /// The four windows.
    pub windows: [Window; GROUPSMAX],
    /// `X`: fixed width increment.
    pub fixed_widest: i32,
    /// `E`: summary memory scale (0 = KiB).
    pub summ_mscale: i32,
    /// `e`: task memory scale (0 = KiB).
    pub task_mscale: i32,
    /// `0`: zero suppression.
    pub zero_suppress: i32,
    /// `^E`: TIME+ scale.
    pub tics_scaled: i32,
    /// The saved "other filter" lines between procps's two delimiters, kept as read.
    pub osel: Option<String>,
    /// The inspect entries as procps keeps them (written back unless just a newline).
    pub inspect_raw: String,
    /// Some inspect entry is malformed (procps's `Rc_questions`): `W` asks first.
    pub questions: bool,
}

// The first entries of each window's default `fieldscur` that are not "every other field in
// index order, hidden" (procps's DEF/JOB/MEM/USR_FIELDS, as its `W` writes them).
const DEF_HEAD: &[i32] = &[75, 81, 103, 105, 119, 123, 129, 137, 111, 117, 115, 139];
const JOB_HEAD: &[i32] = &[
    75, 77, 115, 111, 117, 80, 103, 105, 137, 119, 123, 128, 120, 79, 139,
];
const MEM_HEAD: &[i32] = &[
    75, 117, 119, 120, 123, 125, 127, 129, 131, 154, 132, 156, 135, 136, 102, 104, 111, 139,
];
const USR_HEAD: &[i32] = &[75, 77, 79, 81, 85, 97, 115, 111, 117, 137, 139];
/// Fields a procps 3.3.x file is converted for (the length of procps's `DEF_FORMER`).
const FORMER_LEN: usize = 86;
/// Field characters procps appends to files from before 3.3.9 (`RCF_PLUS_H`).
const PLUS_H: &[u8] = b"\\]^_`abcdefghij";
/// Field characters procps appends to files from before 3.3.17 (`RCF_PLUS_J`).
const PLUS_J: &[u8] = b"klmnopqrstuvwxyz";
/// Entries in procps's default lists (78 fields and 22 spare slots).
const DEFAULT_LEN: usize = 100;

fn default_fields(head: &[i32]) -> Vec<i32> {
    let mut v = head.to_vec();
    for f in 0..DEFAULT_LEN as i32 {
        if !head.iter().any(|&e| (e >> 1) - FLD_OFFSET == f) {
            v.push((f + FLD_OFFSET) << 1);
        }
    }
    v
}

impl Window {
    fn default_for(i: usize) -> Window {
        let (name, head, sort, clr, double_up) = match i {
            0 => ("Def", DEF_HEAD, eu::CPU, [1, 1, 3, 1], 1),
            1 => ("Job", JOB_HEAD, eu::PID, [6, 6, 7, 6], 0),
            2 => ("Mem", MEM_HEAD, eu::MEM, [5, 5, 4, 5], 0),
            _ => ("Usr", USR_HEAD, eu::UEN, [3, 3, 2, 3], 0),
        };
        Window {
            name: name.into(),
            fieldscur: default_fields(head),
            winflags: flag::DEFAULT,
            sortindx: sort as i32,
            maxtasks: 0,
            graph_cpus: 0,
            graph_mems: 0,
            double_up,
            combine_cpus: 0,
            core_types: 0,
            summclr: clr[0],
            msgsclr: clr[1],
            headclr: clr[2],
            taskclr: clr[3],
        }
    }

    /// Whether a flag is set.
    pub fn has(&self, f: i32) -> bool {
        self.winflags & f != 0
    }

    fn set(&mut self, f: i32, on: bool) {
        if on {
            self.winflags |= f;
        } else {
            self.winflags &= !f;
        }
    }

    /// The field at position `i` of `fieldscur` and whether it is shown; `None` past the list
    /// or for an entry that names no field.
    pub fn field_at(&self, i: usize) -> Option<(usize, bool)> {
        let e = *self.fieldscur.get(i)?;
        let f = (e >> 1) - FLD_OFFSET;
        (0..MAXPFLGS as i32)
            .contains(&f)
            .then_some((f as usize, e & 1 != 0))
    }

    /// The visible fields' indices, in display order.
    pub fn visible(&self) -> Vec<usize> {
        self.fieldscur
            .iter()
            .take(MAXPFLGS)
            .filter(|&&e| e & 1 != 0)
            .map(|&e| ((e >> 1) - FLD_OFFSET) as usize)
            .filter(|&f| f < MAXPFLGS)
            .collect()
    }

    /// Makes `fields` the visible ones, in that order: an unchanged order keeps the list as it
    /// is; otherwise the shown fields come first and the hidden ones follow in their old order.
    fn show(&mut self, fields: &[usize]) {
        if self.visible() == fields {
            return;
        }
        let enc = |f: usize| (f as i32 + FLD_OFFSET) << 1;
        let mut out: Vec<i32> = fields.iter().map(|&f| enc(f) | 1).collect();
        for &e in &self.fieldscur {
            let f = (e >> 1) - FLD_OFFSET;
            if !fields.iter().any(|&s| s as i32 == f) {
                out.push(e & !1);
            }
        }
        self.fieldscur = out;
    }
}

impl Default for Toprc {
    /// procps's built-in defaults (`DEF_RCFILE`), before any file.
    fn default() -> Toprc {
        Toprc {
            id: VERSION_ID,
            mode_altscr: 0,
            mode_irixps: 1,
            delay: 3.0,
            curwin: 0,
            windows: std::array::from_fn(Window::default_for),
            fixed_widest: 0,
            summ_mscale: 1,
            task_mscale: 0,
            zero_suppress: 0,
            tics_scaled: 0,
            osel: None,
            inspect_raw: String::new(),
            questions: false,
        }
    }
}

/// A value `fscanf` converted.
#[derive(Debug, Clone)]
enum Val {
    Int(i32),
    Char(u8),
    Str(Vec<u8>),
}

/// C's `fscanf`/`fgets` over a byte buffer: whitespace in a format skips any whitespace,
/// a literal must match (a mismatch is left unread), `%d` `%c` `%Ns` convert.
struct Scan<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// `fgets(buf, size)`: up to `size - 1` bytes or through a newline.
    fn gets(&mut self, size: usize) -> Option<&[u8]> {
        if self.pos >= self.b.len() {
            return None;
        }
        let rest = &self.b[self.pos..];
        let mut n = rest.len().min(size - 1);
        if let Some(k) = rest[..n].iter().position(|&c| c == b'\n') {
            n = k + 1;
        }
        self.pos += n;
        Some(&rest[..n])
    }

    /// Runs a format; the values converted before the first failure.
    fn scanf(&mut self, fmt: &str) -> Vec<Val> {
        let mut out = Vec::new();
        let f = fmt.as_bytes();
        let mut i = 0;
        while i < f.len() {
            let c = f[i];
            if c.is_ascii_whitespace() {
                self.skip_ws();
                i += 1;
                continue;
            }
            if c != b'%' {
                if self.peek() != Some(c) {
                    return out;
                }
                self.pos += 1;
                i += 1;
                continue;
            }
            i += 1;
            let mut width = 0usize;
            while i < f.len() && f[i].is_ascii_digit() {
                width = width * 10 + usize::from(f[i] - b'0');
                i += 1;
            }
            let conv = f.get(i).copied().unwrap_or(b'd');
            i += 1;
            match conv {
                b'd' => {
                    self.skip_ws();
                    let start = self.pos;
                    if matches!(self.peek(), Some(b'+' | b'-')) {
                        self.pos += 1;
                    }
                    let digits = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    if self.pos == digits {
                        return out;
                    }
                    let s = std::str::from_utf8(&self.b[start..self.pos]).unwrap_or("0");
                    // glibc converts to a long (saturating) and stores its low 32 bits.
                    let v = s.parse::<i64>().unwrap_or(if s.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    });
                    out.push(Val::Int(v as i32));
                }
                b'c' => match self.peek() {
                    Some(ch) => {
                        self.pos += 1;
                        out.push(Val::Char(ch));
                    }
                    None => return out,
                },
                b's' => {
                    self.skip_ws();
                    let start = self.pos;
                    let max = if width == 0 { usize::MAX } else { width };
                    while self.pos - start < max
                        && self.peek().is_some_and(|c| !c.is_ascii_whitespace())
                    {
                        self.pos += 1;
                    }
                    if self.pos == start {
                        return out;
                    }
                    out.push(Val::Str(self.b[start..self.pos].to_vec()));
                }
                _ => return out,
            }
        }
        out
    }
}

fn int(v: &[Val], k: usize) -> i32 {
    match v.get(k) {
        Some(Val::Int(n)) => *n,
        _ => 0,
    }
}

/// Parses a toprc as procps 4.0.2 reads it; `name` is the path its messages quote.
pub fn parse(text: &[u8], name: &str) -> Result<Toprc, RcError> {
    let mut rc = Toprc::default();
    let mut s = Scan { b: text, pos: 0 };
    let bad = || RcError::Incompatible(name.to_string());
    let _ = s.gets(512); // the eyecatcher
    let g = s.scanf("Id:%c, Mode_altscr=%d, Mode_irixps=%d, Delay_time=%d.%d, Curwin=%d\n");
    if g.len() != 6 {
        return Err(bad());
    }
    let Val::Char(id) = g[0] else {
        return Err(bad());
    };
    rc.id = id;
    rc.mode_altscr = int(&g, 1);
    rc.mode_irixps = int(&g, 2);
    let (whole, fract, cur) = (int(&g, 3), int(&g, 4), int(&g, 5));
    if !(b'a'..=VERSION_ID).contains(&id) || b"bcde".contains(&id) {
        return Err(bad());
    }
    // procps 3.2.8's format ('a') has other field letters and flags: not converted here.
    if id == b'a' {
        return Err(bad());
    }
    if !(0..=1).contains(&rc.mode_altscr) || !(0..=1).contains(&rc.mode_irixps) || whole < 0 {
        return Err(bad());
    }
    if cur < 0 || cur >= GROUPSMAX as i32 {
        return Err(bad());
    }
    rc.curwin = cur as usize;
    rc.delay = whole as f32 + fract as f32 / 1000.0;

    let old = id < VERSION_ID;
    for i in 0..GROUPSMAX {
        let w = &mut rc.windows[i];
        let bad = || RcError::Window(i + 1, name.to_string());
        let n = s.scanf("%3s\tfieldscur=");
        let Some(Val::Str(wn)) = n.first() else {
            return Err(bad());
        };
        w.name = String::from_utf8_lossy(wn).into_owned();
        // fscanf("%d") until it fails, over the defaults (procps reads into the same array).
        let mut cur = w.fieldscur.clone();
        cur.resize(PFLAGSSIZ, 0);
        let mut j = 0;
        // procps 3.3.x ('f' to 'j') wrote one character per field.
        let mut chars = Vec::new();
        if old && let Some(Val::Str(f)) = s.scanf("%s\n").first() {
            chars.clone_from(f);
        }
        while !old && let Some(Val::Int(e)) = s.scanf("%d").first() {
            if j >= PFLAGSSIZ - 1 {
                return Err(bad());
            }
            cur[j] = *e;
            j += 1;
        }
        let v = s.scanf(
            "\twinflags=%d, sortindx=%d, maxtasks=%d, graph_cpus=%d, graph_mems=%d\
             , double_up=%d, combine_cpus=%d, core_types=%d\n",
        );
        if v.len() < 3 {
            return Err(bad());
        }
        let slots: [&mut i32; 8] = [
            &mut w.winflags,
            &mut w.sortindx,
            &mut w.maxtasks,
            &mut w.graph_cpus,
            &mut w.graph_mems,
            &mut w.double_up,
            &mut w.combine_cpus,
            &mut w.core_types,
        ];
        for (k, slot) in slots.into_iter().enumerate().take(v.len()) {
            *slot = int(&v, k);
        }
        if w.sortindx < 0 || w.sortindx >= MAXPFLGS as i32 || w.maxtasks < 0 {
            return Err(bad());
        }
        if !(0..=2).contains(&w.graph_cpus) || !(0..=2).contains(&w.graph_mems) {
            return Err(bad());
        }
        if !(0..8).contains(&w.double_up) || w.combine_cpus < 0 || !(0..=3).contains(&w.core_types)
        {
            return Err(bad());
        }
        let c = s.scanf("\tsummclr=%d, msgsclr=%d, headclr=%d, taskclr=%d\n");
        if c.len() != 4 {
            return Err(bad());
        }
        [w.summclr, w.msgsclr, w.headclr, w.taskclr] =
            [int(&c, 0), int(&c, 1), int(&c, 2), int(&c, 3)];
        if [w.summclr, w.msgsclr, w.headclr, w.taskclr]
            .iter()
            .any(|c| !(0..=255).contains(c))
        {
            return Err(bad());
        }
        if old {
            // procps's fall-through from the file's release up to the current one.
            if id == b'f' {
                w.winflags |= flag::SHOW_JRNUMS;
            }
            if id <= b'g' {
                chars.extend_from_slice(PLUS_H);
            }
            if id <= b'h' {
                (w.graph_cpus, w.graph_mems) = (0, 0);
                (rc.summ_mscale, rc.task_mscale) = (0, 0);
            }
            if id <= b'i' {
                chars.extend_from_slice(PLUS_J);
                (w.double_up, w.combine_cpus) = (0, 0);
            }
            // cfg_xform: the character's low 7 bits are the field + 37, its high bit "shown".
            for (k, e) in cur.iter_mut().enumerate().take(FORMER_LEN) {
                let c = i32::from(chars.get(k).copied().unwrap_or(0));
                *e = ((c & 0x7f) << 1) | (c >> 7 & 1);
            }
            rc.tics_scaled = 0;
        }
        let w = &mut rc.windows[i];
        let len = cur.iter().position(|&e| e == 0).unwrap_or(PFLAGSSIZ);
        cur.truncate(len);
        if cur.len() < MAXPFLGS {
            return Err(bad());
        }
        let head = &cur[..MAXPFLGS];
        for (k, &e) in head.iter().enumerate() {
            let f = (e >> 1) - FLD_OFFSET;
            if f < 0 || f >= MAXPFLGS as i32 {
                return Err(bad());
            }
            // Each entry must be the first of its value (no hand-made duplicates).
            if head.iter().position(|&x| x == e) != Some(k) {
                return Err(bad());
            }
        }
        w.fieldscur = cur;
    }

    let x = s.scanf(
        "Fixed_widest=%d, Summ_mscale=%d, Task_mscale=%d, Zero_suppress=%d, Tics_scaled=%d\n",
    );
    let slots: [&mut i32; 5] = [
        &mut rc.fixed_widest,
        &mut rc.summ_mscale,
        &mut rc.task_mscale,
        &mut rc.zero_suppress,
        &mut rc.tics_scaled,
    ];
    for (k, slot) in slots.into_iter().enumerate().take(x.len()) {
        *slot = int(&x, k);
    }
    if !(-1..=512).contains(&rc.fixed_widest) {
        rc.fixed_widest = 0;
    }
    if !(0..=5).contains(&rc.summ_mscale) {
        rc.summ_mscale = 0;
    }
    if !(0..=4).contains(&rc.task_mscale) {
        rc.task_mscale = 0;
    }
    if !(0..=1).contains(&rc.zero_suppress) {
        rc.zero_suppress = 0;
    }
    if !(0..=6).contains(&rc.tics_scaled) {
        rc.tics_scaled = 0;
    }
    read_tail(&mut s, &mut rc);
    Ok(rc)
}

/// procps's `config_osel` then `config_insp`: the filter block kept as read, then every
/// remaining line, after a newline unless the first one is blank.
fn read_tail(s: &mut Scan, rc: &mut Toprc) {
    let mut buf: Option<Vec<u8>> = None;
    let mut begun = false;
    let mut block = String::new();
    while let Some(l) = s.gets(512).map(<[u8]>::to_vec) {
        if l == b"\n" {
            buf = Some(l);
            continue;
        }
        let text = String::from_utf8_lossy(&l).into_owned();
        if !begun {
            if !text.contains(OSEL_BEGIN) {
                buf = Some(l);
                break;
            }
            begun = true;
            buf = None;
            continue;
        }
        if text.contains(OSEL_END) {
            rc.osel = Some(std::mem::take(&mut block));
            // fgets at the end of the file leaves the delimiter in procps's buffer.
            buf = Some(s.gets(512).map_or(l, <[u8]>::to_vec));
            break;
        }
        block.push_str(&text);
    }
    let first = buf.unwrap_or_default();
    let mut raw = if first.first() == Some(&b'\n') {
        String::new()
    } else {
        "\n".to_string()
    };
    raw.push_str(&String::from_utf8_lossy(&first));
    while let Some(l) = s.gets(512) {
        raw.push_str(&String::from_utf8_lossy(l));
    }
    rc.questions = raw.split_inclusive('\n').any(bad_inspect_entry)
        || rc
            .osel
            .as_deref()
            .is_some_and(|b| rc_filters(b, 5).is_err());
    // A lone newline is what procps keeps when there is nothing (and never writes).
    if raw == "\n" {
        raw.clear();
    }
    rc.inspect_raw = raw;
}

/// procps's `config_insp` test of one line: besides comments and blank lines, an entry is a
/// type starting with `f` or `p`, a name and a command, tab-separated, without control bytes.
fn bad_inspect_entry(line: &str) -> bool {
    if line.starts_with('#') || line.starts_with('\n') {
        return false;
    }
    if line.bytes().any(|b| b < b' ' && b != b'\t' && b != b'\n') {
        return true;
    }
    let tokens = line.split(['\t', '\n']).filter(|t| !t.is_empty()).count();
    tokens < 3 || !matches!(line.as_bytes()[0].to_ascii_uppercase(), b'F' | b'P')
}

/// Each window's saved filters: (`o`, that is without case; the text typed).
pub type OselEntries = [Vec<(bool, String)>; 4];

/// The "other filter" block's entries, as procps's `config_osel` reads them: per window, each
/// filter's `o` flag (letters without case; any other type is `O`) and its text, in the order
/// `^O` lists them (the file's last first). Reading stops at the first malformed line, as
/// procps's does (which then asks before `W`); `Err` carries what was read before it.
pub fn osel_entries(block: &str) -> Result<OselEntries, OselEntries> {
    let mut out: OselEntries = Default::default();
    let mut lines = block.lines().filter(|l| !l.is_empty());
    while let Some(l) = lines.next() {
        let Some((wno, tot)) = l
            .strip_prefix("window #")
            .and_then(|r| r.split_once(", osel_tot="))
            .and_then(|(w, t)| {
                Some((w.trim().parse::<i64>().ok()?, t.trim().parse::<i64>().ok()?))
            })
        else {
            break_out(&mut out);
            return Err(out);
        };
        if !(0..4).contains(&wno) || tot < 0 {
            break_out(&mut out);
            return Err(out);
        }
        for _ in 0..tot {
            let Some(f) = lines.next() else {
                break_out(&mut out);
                return Err(out);
            };
            let typ = f
                .trim_start()
                .strip_prefix("type=")
                .and_then(|r| r.split_once(','))
                .and_then(|(t, _)| t.trim().parse::<i64>().ok());
            let (Some(typ), Some(at)) = (typ, f.find("filter=")) else {
                break_out(&mut out);
                return Err(out);
            };
            out[wno as usize].push((typ == i64::from(b'o'), f[at + 7..].to_string()));
        }
    }
    break_out(&mut out);
    Ok(out)
}

/// Each window's saved filters as [`crate::top::filter::Filter`]s for a screen with
/// `pid_width`-wide PIDs; `Err` (with what was read before) when a line is malformed or a
/// filter is one procps's `osel_add` refuses.
pub fn rc_filters(
    block: &str,
    pid_width: usize,
) -> Result<[Vec<crate::top::filter::Filter>; 4], [Vec<crate::top::filter::Filter>; 4]> {
    let (entries, mut ok) = match osel_entries(block) {
        Ok(e) => (e, true),
        Err(e) => (e, false),
    };
    let mut out: [Vec<crate::top::filter::Filter>; 4] = Default::default();
    'all: for (w, list) in entries.iter().enumerate() {
        for (ignore_case, raw) in list {
            match crate::top::filter::parse(raw, *ignore_case, &out[w], pid_width) {
                Ok(f) => out[w].push(f),
                Err(_) => {
                    ok = false;
                    break 'all;
                }
            }
        }
    }
    if ok { Ok(out) } else { Err(out) }
}

/// The file lists each window's filters newest first; `^O` (and gopsi's list) oldest first.
fn break_out(out: &mut OselEntries) {
    for w in out.iter_mut() {
        w.reverse();
    }
}

/// The "other filter" block procps's `W` writes for these filters (each window's in the order
/// `^O` lists them): `None` when no window has one.
pub fn osel_block(per_window: [&[(bool, &str)]; 4]) -> Option<String> {
    use std::fmt::Write;
    if per_window.iter().all(|w| w.is_empty()) {
        return None;
    }
    let mut o = String::new();
    for (i, w) in per_window.iter().enumerate() {
        if w.is_empty() {
            continue;
        }
        let _ = writeln!(o, "window #{i}, osel_tot={}", w.len());
        for (ignore_case, raw) in w.iter().rev() {
            let typ = if *ignore_case { b'o' } else { b'O' };
            let _ = writeln!(o, "\ttype={typ},\tfilter={raw}");
        }
    }
    Some(o)
}

/// The bytes procps's `W` writes for this state; `name` is top's name (`top`).
pub fn format(rc: &Toprc, name: &str) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let d = rc.delay;
    let whole = d as i32;
    let fract = ((d - whole as f32) * 1000.0) as i32;
    let _ = writeln!(
        o,
        "{name}'s {EYECATCHER}Id:{}, Mode_altscr={}, Mode_irixps={}, Delay_time={whole}.{fract}, Curwin={}",
        VERSION_ID as char, rc.mode_altscr, rc.mode_irixps, rc.curwin
    );
    for w in &rc.windows {
        let _ = write!(o, "{}\tfieldscur=", w.name);
        for (j, e) in w.fieldscur.iter().enumerate() {
            if j > 0 && j % 20 == 0 {
                o.push_str("\n\t\t  ");
            }
            let _ = write!(o, "{e:4} ");
        }
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "\twinflags={}, sortindx={}, maxtasks={}, graph_cpus={}, graph_mems={}, double_up={}, combine_cpus={}, core_types={}",
            w.winflags,
            w.sortindx,
            w.maxtasks,
            w.graph_cpus,
            w.graph_mems,
            w.double_up,
            w.combine_cpus,
            w.core_types
        );
        let _ = writeln!(
            o,
            "\tsummclr={}, msgsclr={}, headclr={}, taskclr={}",
            w.summclr, w.msgsclr, w.headclr, w.taskclr
        );
    }
    let _ = writeln!(
        o,
        "Fixed_widest={}, Summ_mscale={}, Task_mscale={}, Zero_suppress={}, Tics_scaled={}",
        rc.fixed_widest, rc.summ_mscale, rc.task_mscale, rc.zero_suppress, rc.tics_scaled
    );
    if let Some(b) = rc.osel.as_ref().filter(|b| !b.is_empty()) {
        o.push('\n');
        o.push_str(OSEL_BEGIN);
        o.push_str(b);
        o.push_str(OSEL_END);
    }
    if !rc.inspect_raw.is_empty() && rc.inspect_raw != "\n" {
        o.push_str(&rc.inspect_raw);
    }
    o
}

/// `/etc/toprc` (procps's `SYS_RCRESTRICT`): a first line turns on secure mode (for users
/// other than root), a second line's leading number is the delay.
pub fn parse_secure(text: &[u8]) -> (bool, Option<f32>) {
    let mut s = Scan { b: text, pos: 0 };
    if s.gets(64).is_none() {
        return (false, None);
    }
    let d = s.gets(64).and_then(|l| {
        let t = String::from_utf8_lossy(l);
        let t = t.trim_start();
        let end = t
            .char_indices()
            .take_while(|&(k, c)| {
                c.is_ascii_digit() || c == '.' || (k == 0 && (c == '+' || c == '-'))
            })
            .count();
        t[..end].parse::<f32>().ok()
    });
    (true, d)
}

impl Toprc {
    /// The current window.
    pub fn win(&self) -> &Window {
        &self.windows[self.curwin]
    }

    fn win_mut(&mut self) -> &mut Window {
        &mut self.windows[self.curwin]
    }

    /// What procps's command line changes in the file's state (`-c -i -S -1 -o -E -e -d`,
    /// each on the current window as procps's `parse_args`), then its `wins_stage_2` rule:
    /// a window with `%Cpu(s)` summed has no per-CPU lines abreast.
    pub fn apply_args(&mut self, o: &Opts) {
        let w = self.win_mut();
        if o.per_cpu {
            if w.has(flag::VIEW_CPUNOD) {
                w.set(flag::VIEW_CPUSUM, false);
            } else {
                w.winflags ^= flag::VIEW_CPUSUM;
            }
            w.set(flag::VIEW_CPUNOD, false);
            w.set(flag::VIEW_STATES, true);
        }
        if o.cmdline {
            w.winflags ^= flag::SHOW_CMDLIN;
        }
        if o.hide_idle {
            w.winflags ^= flag::SHOW_IDLEPS;
        }
        if o.idle_seen {
            w.maxtasks = 0;
        }
        if o.cumulative {
            w.winflags ^= flag::SHOW_CTIMES;
        }
        if let Some((idx, dir)) = o.sort {
            if let Some(d) = dir {
                w.set(flag::QSRT_NORMAL, d);
            }
            w.set(flag::SHOW_FOREST, false);
            w.sortindx = idx as i32;
        }
        if let Some(s) = o.summ_scale {
            self.summ_mscale = s as i32;
        }
        if let Some(s) = o.task_scale {
            self.task_mscale = s as i32;
        }
        if let Some(d) = o.delay {
            self.delay = d;
        }
        for w in &mut self.windows {
            if w.has(flag::VIEW_CPUSUM | flag::VIEW_CPUNOD) {
                w.double_up = 0;
            }
        }
    }

    /// The view of the current window for a top named `name`.
    pub fn view(&self, name: String) -> View {
        let w = self.win();
        let mut v = View::new(name);
        v.fields = w.visible();
        v.sort = (w.sortindx as usize).min(MAXPFLGS - 1);
        v.sort_desc = w.has(flag::QSRT_NORMAL);
        v.cmdline = w.has(flag::SHOW_CMDLIN);
        v.show_idle = w.has(flag::SHOW_IDLEPS);
        v.cumulative = w.has(flag::SHOW_CTIMES);
        v.per_cpu = !w.has(flag::VIEW_CPUSUM);
        v.numa_view = w.has(flag::VIEW_CPUNOD);
        // procps clears `double_up` at start while `%Cpu(s)` (or the NUMA view) shows.
        v.double_up = if w.has(flag::VIEW_CPUSUM | flag::VIEW_CPUNOD) {
            0
        } else {
            w.double_up.clamp(0, 7) as usize
        };
        v.combine_cpus = w.combine_cpus.max(0) as usize;
        v.show_load = w.has(flag::VIEW_LOADAV);
        v.show_states = w.has(flag::VIEW_STATES);
        v.show_memory = w.has(flag::VIEW_MEMORY);
        v.graph_cpus = w.graph_cpus.clamp(0, 2) as u8;
        v.graph_mems = w.graph_mems.clamp(0, 2) as u8;
        v.maxtasks = w.maxtasks as usize;
        v.summ_scale = self.summ_mscale as usize;
        v.task_scale = self.task_mscale as usize;
        v.irix = self.mode_irixps != 0;
        v.zero_suppress = self.zero_suppress != 0;
        v.jr_nums = w.has(flag::SHOW_JRNUMS);
        v.jr_strs = w.has(flag::SHOW_JRSTRS);
        v.fixed_widest = self.fixed_widest;
        v.colors = super::colors::Colors::from_window(w);
        v.tics_scaled = self.tics_scaled.clamp(0, 6) as u8;
        v
    }

    /// Takes the view's state back into the current window (before `W`), keeping what the
    /// view does not model.
    pub fn absorb(&mut self, v: &View, delay: f32) {
        self.delay = delay;
        self.mode_irixps = i32::from(v.irix);
        self.summ_mscale = v.summ_scale as i32;
        self.task_mscale = v.task_scale as i32;
        self.zero_suppress = i32::from(v.zero_suppress);
        self.fixed_widest = v.fixed_widest;
        self.tics_scaled = i32::from(v.tics_scaled);
        let w = self.win_mut();
        w.set(flag::SHOW_JRNUMS, v.jr_nums);
        w.set(flag::SHOW_JRSTRS, v.jr_strs);
        v.colors.store(w);
        w.show(&v.fields);
        w.sortindx = v.sort as i32;
        w.set(flag::QSRT_NORMAL, v.sort_desc);
        w.set(flag::SHOW_CMDLIN, v.cmdline);
        w.set(flag::SHOW_IDLEPS, v.show_idle);
        w.set(flag::SHOW_CTIMES, v.cumulative);
        w.set(flag::VIEW_CPUSUM, !v.per_cpu);
        w.set(flag::VIEW_CPUNOD, v.numa_view);
        w.double_up = v.double_up as i32;
        w.combine_cpus = v.combine_cpus as i32;
        w.set(flag::VIEW_LOADAV, v.show_load);
        w.set(flag::VIEW_STATES, v.show_states);
        w.set(flag::VIEW_MEMORY, v.show_memory);
        w.graph_cpus = v.graph_cpus as i32;
        w.graph_mems = v.graph_mems as i32;
        w.maxtasks = v.maxtasks as i32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_filters_both_ways() {
        let block = "window #0, osel_tot=2\n\ttype=111,\tfilter=COMMAND=sh\n\ttype=79,\tfilter=!USER=root\n\
                     window #2, osel_tot=1\n\ttype=79,\tfilter=%CPU>1.0\n";
        let got = osel_entries(block).unwrap();
        assert_eq!(
            got[0],
            vec![
                (false, "!USER=root".to_string()),
                (true, "COMMAND=sh".to_string())
            ]
        );
        assert!(got[1].is_empty() && got[3].is_empty());
        assert_eq!(got[2], vec![(false, "%CPU>1.0".to_string())]);
        let w0: Vec<(bool, &str)> = got[0].iter().map(|(c, r)| (*c, r.as_str())).collect();
        let w2: Vec<(bool, &str)> = got[2].iter().map(|(c, r)| (*c, r.as_str())).collect();
        assert_eq!(osel_block([&w0, &[], &w2, &[]]).as_deref(), Some(block));
        assert_eq!(osel_block([&[], &[], &[], &[]]), None);
        let bad =
            osel_entries("window #0, osel_tot=2\n\ttype=111,\tfilter=A=b\nwindow #9, osel_tot=1\n");
        assert!(bad.is_err());
        assert!(osel_entries("window #7, osel_tot=1\n").is_err());
    }

    /// What procps-ng 4.0.2's top writes on `W` under a HOME without a toprc (captured from
    /// the installed binary in tmux).
    const PROCPS_DEFAULT: &str = "top's Config File (Linux processes with windows)
Id:k, Mode_altscr=0, Mode_irixps=1, Delay_time=3.0, Curwin=0
Def\tfieldscur=  75   81  103  105  119  123  129  137  111  117  115  139   76   78   82   84   86   88   90   92 
\t\t    94   96   98  100  106  108  112  120  124  126  130  132  134  140  142  144  146  148  150  152 
\t\t   154  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
\t\t   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
\t\t   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
\twinflags=193844, sortindx=18, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
\tsummclr=1, msgsclr=1, headclr=3, taskclr=1
Job\tfieldscur=  75   77  115  111  117   80  103  105  137  119  123  128  120   79  139   82   84   86   88   90 
\t\t    92   94   96   98  100  106  108  112  124  126  130  132  134  140  142  144  146  148  150  152 
\t\t   154  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
\t\t   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
\t\t   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
\twinflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
\tsummclr=6, msgsclr=6, headclr=7, taskclr=6
Mem\tfieldscur=  75  117  119  120  123  125  127  129  131  154  132  156  135  136  102  104  111  139   76   78 
\t\t    80   82   84   86   88   90   92   94   96   98  100  106  108  112  114  140  142  144  146  148 
\t\t   150  152  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
\t\t   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
\t\t   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
\twinflags=193844, sortindx=21, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
\tsummclr=5, msgsclr=5, headclr=4, taskclr=5
Usr\tfieldscur=  75   77   79   81   85   97  115  111  117  137  139   82   86   88   90   92   94   98  100  102 
\t\t   104  106  108  112  118  120  122  124  126  128  130  132  134  140  142  144  146  148  150  152 
\t\t   154  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
\t\t   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
\t\t   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
\twinflags=193844, sortindx=3, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
\tsummclr=3, msgsclr=3, headclr=2, taskclr=3
Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0
";

    fn defaults_after_start() -> Toprc {
        let mut rc = Toprc::default();
        rc.apply_args(&Opts::default());
        rc
    }

    #[test]
    fn default_file_is_procps_s() {
        assert_eq!(format(&defaults_after_start(), "top"), PROCPS_DEFAULT);
    }

    #[test]
    fn round_trip() {
        let rc = parse(PROCPS_DEFAULT.as_bytes(), "x").unwrap();
        assert_eq!(rc, defaults_after_start());
        assert_eq!(format(&rc, "top"), PROCPS_DEFAULT);
        let v = rc.view("top".into());
        assert_eq!(v.fields, crate::top::fields::DEFAULT_FIELDS.to_vec());
        assert_eq!(v.sort, eu::CPU);
        assert!(v.sort_desc && v.show_idle && !v.per_cpu && v.irix);
    }

    #[test]
    fn ctrl_e_scale_round_trips() {
        let mut rc = parse(PROCPS_DEFAULT.as_bytes(), "x").unwrap();
        let mut v = rc.view("top".into());
        assert_eq!(v.tics_scaled, 0);
        v.tics_scaled = 3;
        rc.absorb(&v, 3.0);
        let text = format(&rc, "top");
        assert!(text.contains("Tics_scaled=3\n"), "{text}");
        assert_eq!(
            parse(text.as_bytes(), "x")
                .unwrap()
                .view("top".into())
                .tics_scaled,
            3
        );
    }

    #[test]
    fn errors() {
        let e = |t: &str| parse(t.as_bytes(), "/p").unwrap_err().to_string();
        let inc = "incompatible rcfile, you should delete '/p'";
        assert_eq!(e(""), inc);
        assert_eq!(e("x\n"), inc);
        assert_eq!(e(&PROCPS_DEFAULT.replace("Id:k", "Id:c")), inc);
        // An older id with this format's numbers: its field characters do not convert.
        assert_eq!(
            e(&PROCPS_DEFAULT.replace("Id:k", "Id:j")),
            "window entry #1 corrupt, please delete '/p'"
        );
        assert_eq!(e(&PROCPS_DEFAULT.replace("Curwin=0", "Curwin=4")), inc);
        assert_eq!(
            e(&PROCPS_DEFAULT.replace("sortindx=18", "sortindx=99")),
            "window entry #1 corrupt, please delete '/p'"
        );
        assert_eq!(
            e(&PROCPS_DEFAULT.replace("taskclr=6", "taskclr=256")),
            "window entry #2 corrupt, please delete '/p'"
        );
        // A duplicated field.
        assert_eq!(
            e(&PROCPS_DEFAULT.replacen("  75   81", "  81   81", 1)),
            "window entry #1 corrupt, please delete '/p'"
        );
        // The last line is optional; out-of-range values there fall back to 0.
        let cut = PROCPS_DEFAULT.replace(
            "Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0\n",
            "Fixed_widest=0, Summ_mscale=9\n",
        );
        assert_eq!(parse(cut.as_bytes(), "x").unwrap().summ_mscale, 0);
    }

    #[test]
    fn delay_and_tail() {
        let t = PROCPS_DEFAULT.replace("Delay_time=3.0", "Delay_time=1.500");
        let mut rc = parse(t.as_bytes(), "x").unwrap();
        assert_eq!(rc.delay, 1.5);
        assert!(format(&rc, "top").contains("Delay_time=1.500,"));
        rc.delay = 0.05;
        assert!(format(&rc, "top").contains("Delay_time=0.50,"));
        let t = format!("{PROCPS_DEFAULT}pipe\tOpen Files\tlsof -P -p %d 2>&1\n");
        let rc = parse(t.as_bytes(), "x").unwrap();
        assert_eq!(rc.inspect_raw, "\npipe\tOpen Files\tlsof -P -p %d 2>&1\n");
        assert!(!rc.questions);
        for bad in [
            "x\n",
            "pipe\tname\n",
            "\tpipe\tname\tcmd\n",
            "pipe\tn\x01\tcmd\n",
        ] {
            let t = format!("{PROCPS_DEFAULT}# comment\n\n{bad}");
            assert!(parse(t.as_bytes(), "x").unwrap().questions, "{bad:?}");
        }
    }

    #[test]
    fn show_reorders() {
        let mut w = Window::default_for(0);
        let mut f = w.visible();
        f.swap(0, 1);
        f.pop();
        w.show(&f);
        assert_eq!(w.visible(), f);
        assert_eq!(w.fieldscur.len(), DEFAULT_LEN);
    }

    #[test]
    fn secure_file() {
        assert_eq!(parse_secure(b""), (false, None));
        assert_eq!(parse_secure(b"s\n"), (true, None));
        assert_eq!(parse_secure(b"s\n 2.5x\n"), (true, Some(2.5)));
    }
}
