//! Characters that trip people up when copying an identifier by eye or by paste: 0/O and l/I/1
//! mix-ups, letters from other alphabets that look Latin, invisible characters, odd spaces,
//! smart quotes, and whitespace around or inside.

/// One character worth a second look, at a 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suspect {
    pub position: usize,
    pub found: char,
    /// What it is, in words: "the digit zero (0)".
    pub name: String,
    /// The plain character it was probably meant to be, when there is one (`None`: remove it).
    pub meant: Option<char>,
}

/// ASCII characters that are easily confused with one another when read or typed.
pub fn ascii_confusables(text: &str) -> Vec<Suspect> {
    text.chars()
        .enumerate()
        .filter_map(|(i, c)| {
            let name = match c {
                '0' => "the digit zero (0)",
                'O' => "the capital letter O",
                '1' => "the digit one (1)",
                'l' => "the small letter l (as in \"lake\")",
                'I' => "the capital letter I (as in \"India\")",
                _ => return None,
            };
            Some(Suspect { position: i + 1, found: c, name: name.into(), meant: Some(c) })
        })
        .collect()
}

/// Non-ASCII characters that look like plain ones or cannot be seen, with the plain character
/// each was probably meant to be.
pub fn unusual_characters(text: &str) -> Vec<Suspect> {
    text.chars()
        .enumerate()
        .filter(|(_, c)| !c.is_ascii())
        .map(|(i, c)| {
            let (name, meant) = describe(c);
            Suspect { position: i + 1, found: c, name, meant }
        })
        .collect()
}

fn describe(c: char) -> (String, Option<char>) {
    let code = format!("U+{:04X}", c as u32);
    match c {
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            (format!("an invisible character ({code})"), None)
        }
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            (format!("a special space ({code})"), None)
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => {
            (format!("a curly quote ({code})"), Some('\''))
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => {
            (format!("a curly double quote ({code})"), Some('"'))
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' => (format!("a long dash ({code})"), Some('-')),
        _ => match latin_twin(c) {
            Some(twin) => (
                format!(
                    "\"{c}\", a letter from another alphabet that looks like \"{twin}\" ({code})"
                ),
                Some(twin),
            ),
            None => (
                format!("\"{c}\", a character outside plain English letters and digits ({code})"),
                None,
            ),
        },
    }
}

/// The Latin letter or digit a Cyrillic, Greek or full-width character looks like.
fn latin_twin(c: char) -> Option<char> {
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        return char::from_u32(c as u32 - 0xFF01 + 0x21);
    }
    Some(match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' | 'Ӏ' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        'а' => 'a',
        'с' | 'ϲ' => 'c',
        'е' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'ν' => 'v',
        'х' => 'x',
        'у' => 'y',
        'ℓ' => 'l',
        _ => return None,
    })
}

/// Whitespace at either end, and inside.
pub fn whitespace(text: &str) -> (bool, bool) {
    let around = text.trim() != text;
    let inside = text.trim().chars().any(char::is_whitespace);
    (around, inside)
}

/// The text as it was probably meant: trimmed, invisible characters and inner spaces removed,
/// look-alikes replaced by the plain character.
pub fn cleaned(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .filter_map(|c| if c.is_ascii() { Some(c) } else { describe(c).1 })
        .collect()
}

/// A list of suspects in words: "position 3: the digit zero (0); position 9: ...".
pub fn list(suspects: &[Suspect], max: usize) -> String {
    let mut parts: Vec<String> =
        suspects.iter().take(max).map(|s| format!("position {}: {}", s.position, s.name)).collect();
    if suspects.len() > max {
        parts.push(format!("and {} more", suspects.len() - max));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_oh_are_named_with_their_positions() {
        let s = ascii_confusables("a0Ol");
        assert_eq!(s.iter().map(|s| s.position).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(list(&s, 2).contains(
            "position 2: the digit zero (0); position 3: the capital letter O; and 1 more"
        ));
    }

    #[test]
    fn foreign_letters_and_invisible_characters_are_found_and_cleaned() {
        let id = "\u{00A0}abc\u{200B}dО\u{2013}x ";
        let s = unusual_characters(id);
        assert_eq!(s.len(), 4);
        assert!(s[2].name.contains("another alphabet") && s[2].meant == Some('O'));
        assert_eq!(cleaned(id), "abcdO-x");
        assert_eq!(whitespace(" ab"), (true, false));
        assert_eq!(whitespace("a b"), (false, true));
        assert_eq!(cleaned("ＡＢＣ"), "ABC");
    }
}
