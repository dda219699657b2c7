//! Terminal events to top's keys: a control key (`^K`, `^N`, `^U`, `^G`, `^E`, `^R`, `^O`,
//! `^Z`) is its own key, never the letter it is typed with, and escape sequences (arrows,
//! paging, Home/End) become named keys. Pure; never reads the terminal itself.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key as top's command loop sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// A control key, by its lower-case letter (`Ctrl('k')` is `^K`).
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    PgUp,
    PgDn,
    Home,
    End,
    Enter,
    Esc,
    Backspace,
    /// Anything else (function keys, ...).
    Other,
}

/// The key a crossterm key event stands for.
pub fn key_of(k: &KeyEvent) -> Key {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PgUp,
        KeyCode::PageDown => Key::PgDn,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        _ => Key::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn control_keys_are_not_letters() {
        for c in ['k', 'n', 'u', 'g', 'e', 'r', 'o', 'z'] {
            let k = key_of(&ev(KeyCode::Char(c), KeyModifiers::CONTROL));
            assert_eq!(k, Key::Ctrl(c));
            assert_ne!(k, Key::Char(c));
        }
        assert_eq!(
            key_of(&ev(KeyCode::Char('k'), KeyModifiers::NONE)),
            Key::Char('k')
        );
        assert_eq!(
            key_of(&ev(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Key::Char('K')
        );
    }

    #[test]
    fn named_keys() {
        assert_eq!(
            key_of(&ev(KeyCode::PageDown, KeyModifiers::NONE)),
            Key::PgDn
        );
        assert_eq!(key_of(&ev(KeyCode::Esc, KeyModifiers::NONE)), Key::Esc);
        assert_eq!(key_of(&ev(KeyCode::F(1), KeyModifiers::NONE)), Key::Other);
    }
}
