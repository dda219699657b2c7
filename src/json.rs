//! The one rule every JSON view follows for names (`ps --json`, `top --json`, `ports --json`,
//! `files --json`, `inspect --json` and the library's `Serialize` impls): names are bytes, and
//! their bytes stay recoverable. Never reads /proc and never escapes for a terminal.
//!
//! Paths (descriptor targets, `exe`, `cwd`, unix socket paths), command names (`comm`),
//! command lines and user and group names come from the kernel and the user database as bytes,
//! and need not be UTF-8. Each is printed under its key as a JSON string: decoded lossily (an
//! invalid sequence becomes U+FFFD; `ps` and `top` keep their cell's text, with procps's `?`
//! for what cannot be shown). When, and only when, the bytes are not valid UTF-8, a sibling
//! key named after it with `_bytes` appended holds the exact bytes as an array of numbers 0 to
//! 255:
//!
//! ```json
//! { "target": "/tmp/a\ufffdb", "target_bytes": [47, 116, 109, 112, 47, 97, 255, 98] }
//! ```
//!
//! so two names that differ only in their invalid bytes stay distinct, and the name is the
//! array's bytes (`bytes(v["target_bytes"])` in Python). A list of names (`inspect`'s `args`)
//! gets one list of arrays, one per element, when any element is not valid UTF-8. Output whose
//! names are all valid UTF-8 has no `_bytes` key: it is unchanged.

/// The value of a name's `KEY_bytes` sibling: the bytes when they are not valid UTF-8, `None`
/// (no sibling) when they are.
pub fn raw_bytes(name: &[u8]) -> Option<Vec<u8>> {
    std::str::from_utf8(name).is_err().then(|| name.to_vec())
}

/// The `KEY_bytes` sibling of a list of names: every element's bytes when any of them is not
/// valid UTF-8, `None` otherwise.
pub fn raw_list<B: AsRef<[u8]>>(names: &[B]) -> Option<Vec<Vec<u8>>> {
    names
        .iter()
        .any(|n| std::str::from_utf8(n.as_ref()).is_err())
        .then(|| names.iter().map(|n| n.as_ref().to_vec()).collect())
}

/// A name's text for its key: the bytes decoded lossily.
pub fn lossy(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// The name of the sibling key of `key`.
pub fn bytes_key(key: &str) -> String {
    format!("{key}_bytes")
}

/// Adds the `KEY_bytes` sibling of `key` to a JSON object when `name` is not valid UTF-8
/// (the object already holds `key`).
#[cfg(feature = "serde")]
pub fn add_raw(
    obj: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    name: Option<&[u8]>,
) {
    if let Some(b) = name.and_then(raw_bytes) {
        obj.insert(bytes_key(key), b.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_invalid_names_get_bytes() {
        assert_eq!(raw_bytes(b"caf\xc3\xa9"), None);
        assert_eq!(raw_bytes(b""), None);
        assert_eq!(raw_bytes(b"a\xffb"), Some(b"a\xffb".to_vec()));
        assert_eq!(raw_list(&[b"a".to_vec(), b"b".to_vec()]), None);
        assert_eq!(
            raw_list(&[&b"a"[..], &b"\xfe"[..]]),
            Some(vec![b"a".to_vec(), b"\xfe".to_vec()])
        );
        assert_eq!(lossy(b"a\xffb"), "a\u{fffd}b");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn sibling_key_is_an_array_of_byte_values() {
        let mut m = serde_json::Map::new();
        m.insert("comm".into(), "a?".into());
        add_raw(&mut m, "comm", Some(b"a\xff"));
        add_raw(&mut m, "user", Some(b"root"));
        add_raw(&mut m, "exe", None);
        assert_eq!(
            serde_json::Value::Object(m).to_string(),
            r#"{"comm":"a?","comm_bytes":[97,255]}"#
        );
    }
}
