//! top's "other filters" (`o`/`O`): `[!]FLD?VAL` parsed with procps-ng 4.0.2's rules and
//! messages, and matched against a task row's formatted cells as procps matches them (`=` a
//! substring, `<`/`>` a comparison with the value padded to the field's width). Pure; never
//! reads /proc or the terminal.

use super::fields::{self, FIELDS};

/// One filter of the task area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// What was typed (`!COMMAND=sh`): shown by `^O`, and compared to refuse duplicates.
    pub raw: String,
    /// `true` for include, `false` for `!` (exclude).
    pub include: bool,
    /// Index of the field in [`FIELDS`].
    pub field: usize,
    /// `=`, `<` or `>`.
    pub op: u8,
    /// The value; for `<` and `>` padded to the field's width and justification.
    pub value: String,
    /// `o`: letters compare without case (`O`: with case).
    pub ignore_case: bool,
}

/// The prompt for filter number `n` (`o`: ignoring case).
pub fn prompt(n: usize, ignore_case: bool) -> String {
    let how = if ignore_case {
        "ignoring case"
    } else {
        "case sensitive"
    };
    format!("add filter #{n} ({how}) as: [!]FLD?VAL")
}

/// Parses what was typed at the `o` (`ignore_case`) or `O` prompt, refusing a duplicate of
/// one of `existing`; the error is procps's message. `pid_width` sizes the PID-like fields.
pub fn parse(
    glob: &str,
    ignore_case: bool,
    existing: &[Filter],
    pid_width: usize,
) -> Result<Filter, String> {
    if existing.iter().any(|f| f.raw == glob) {
        return Err("duplicate filter was ignored".into());
    }
    let (include, rest) = match glob.strip_prefix('!') {
        Some(r) => (false, r),
        None => (true, glob),
    };
    let word = if include { "include" } else { "exclude" };
    let Some(at) = rest.find(['<', '=', '>']) else {
        return Err(format!("'{word}' filter delimiter is missing"));
    };
    let (name, op, value) = (&rest[..at], rest.as_bytes()[at], &rest[at + 1..]);
    let Some(field) = FIELDS.iter().position(|f| f.name == name) else {
        return Err(format!("unrecognized field name '{name}'"));
    };
    if value.is_empty() {
        return Err(format!("'{word}' filter value is missing"));
    }
    let value = if op == b'=' {
        value.to_string()
    } else {
        let fd = &FIELDS[field];
        if fd.width < 0 {
            value.to_string()
        } else {
            let mut padded = String::new();
            fields::justify(
                &mut padded,
                value,
                fields::width(field, pid_width),
                fd.right,
            );
            padded
        }
    };
    Ok(Filter {
        raw: glob.to_string(),
        include,
        field,
        op,
        value,
        ignore_case,
    })
}

/// `^O`'s status line: every filter in the order it was added.
pub fn status_line(filters: &[Filter]) -> String {
    let list = if filters.is_empty() {
        "none".to_string()
    } else {
        filters
            .iter()
            .map(|f| format!("'{}'", f.raw))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    format!("<Enter> to resume, filters: {list}")
}

/// Whether the cell `text` of field `field` passes every filter on that field.
pub fn passes(filters: &[Filter], field: usize, text: &str) -> bool {
    filters.iter().filter(|f| f.field == field).all(|f| {
        let (cell, val) = if f.ignore_case {
            (text.to_ascii_lowercase(), f.value.to_ascii_lowercase())
        } else {
            (text.to_string(), f.value.clone())
        };
        let hit = match f.op {
            b'<' => cell.as_bytes() < val.as_bytes(),
            b'>' => cell.as_bytes() > val.as_bytes(),
            _ => cell.contains(&val),
        };
        hit == f.include
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> usize {
        FIELDS.iter().position(|f| f.name == name).unwrap()
    }

    #[test]
    fn messages_as_procps() {
        assert_eq!(
            prompt(1, true),
            "add filter #1 (ignoring case) as: [!]FLD?VAL"
        );
        assert_eq!(
            prompt(2, false),
            "add filter #2 (case sensitive) as: [!]FLD?VAL"
        );
        assert_eq!(
            parse("bogus", true, &[], 5).unwrap_err(),
            "'include' filter delimiter is missing"
        );
        assert_eq!(
            parse("!bogus", true, &[], 5).unwrap_err(),
            "'exclude' filter delimiter is missing"
        );
        assert_eq!(
            parse("XYZ=1", true, &[], 5).unwrap_err(),
            "unrecognized field name 'XYZ'"
        );
        assert_eq!(
            parse("COMMAND=", true, &[], 5).unwrap_err(),
            "'include' filter value is missing"
        );
        let f = parse("COMMAND=sl", true, &[], 5).unwrap();
        assert_eq!(
            parse("COMMAND=sl", true, std::slice::from_ref(&f), 5).unwrap_err(),
            "duplicate filter was ignored"
        );
        assert_eq!(status_line(&[]), "<Enter> to resume, filters: none");
        let g = parse("!USER=root", false, std::slice::from_ref(&f), 5).unwrap();
        assert_eq!(
            status_line(&[f, g]),
            "<Enter> to resume, filters: 'COMMAND=sl' + '!USER=root'"
        );
    }

    #[test]
    fn matching() {
        let cmd = field("COMMAND");
        let f = parse("COMMAND=SLE", true, &[], 5).unwrap();
        assert!(passes(std::slice::from_ref(&f), cmd, "sleep"));
        assert!(!passes(std::slice::from_ref(&f), cmd, "bash"));
        // Other fields are not filtered by it.
        assert!(passes(&[f], field("USER"), "bash"));
        let exact = parse("COMMAND=SLE", false, &[], 5).unwrap();
        assert!(!passes(&[exact], cmd, "sleep"));
        let not = parse("!COMMAND=sh", true, &[], 5).unwrap();
        assert!(!passes(std::slice::from_ref(&not), cmd, "bash"));
        assert!(passes(&[not], cmd, "sleep"));
        // `<`/`>` compare the padded texts: numbers of one width compare as numbers.
        let cpu = field("%CPU");
        let big = parse("%CPU>5.0", true, &[], 5).unwrap();
        // Cells carry procps's one-space column pad, and so does the padded value.
        assert_eq!(big.value, "  5.0 ");
        assert!(passes(std::slice::from_ref(&big), cpu, " 12.5 "));
        assert!(!passes(std::slice::from_ref(&big), cpu, "  0.0 "));
        let small = parse("!%CPU>5.0", true, &[], 5).unwrap();
        assert!(passes(&[small], cpu, "  0.0 "));
    }
}
