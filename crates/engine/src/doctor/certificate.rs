//! The issuer and subject names of an X.509 certificate in DER, read with a small walker of the
//! few DER structures on the way to them (no signature or date is checked here: rustls does).

/// The names of one certificate, as "CN=…, O=…".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    pub issuer: String,
    pub subject: String,
}

/// One DER element: its tag, its content, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;

/// Reads the issuer and subject of a certificate; `None` when it is not one.
pub fn names(der: &[u8]) -> Option<Names> {
    let (tag, certificate, _) = element(der)?;
    if tag != SEQUENCE {
        return None;
    }
    let (tag, tbs, _) = element(certificate)?;
    if tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs;
    let (tag, _, after) = element(rest)?;
    if tag == 0xa0 {
        rest = after; // [0] version
    }
    let (_, _, rest) = element(rest)?; // serial number
    let (_, _, rest) = element(rest)?; // signature algorithm
    let (tag, issuer, rest) = element(rest)?;
    if tag != SEQUENCE {
        return None;
    }
    let (_, _, rest) = element(rest)?; // validity
    let (tag, subject, _) = element(rest)?;
    if tag != SEQUENCE {
        return None;
    }
    Some(Names { issuer: name(issuer)?, subject: name(subject)? })
}

/// A Name (a sequence of sets of attribute = value) as "CN=…, O=…, OU=…", the best-known
/// attributes first, others left out.
fn name(mut content: &[u8]) -> Option<String> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    while !content.is_empty() {
        let (tag, set, rest) = element(content)?;
        content = rest;
        if tag != SET {
            return None;
        }
        let mut set = set;
        while !set.is_empty() {
            let (tag, pair, rest) = element(set)?;
            set = rest;
            if tag != SEQUENCE {
                return None;
            }
            let (tag, oid, value) = element(pair)?;
            if tag != OID {
                return None;
            }
            let (value_tag, value, _) = element(value)?;
            let label = match oid {
                [0x55, 0x04, 0x03] => (0, "CN"),
                [0x55, 0x04, 0x0a] => (1, "O"),
                [0x55, 0x04, 0x0b] => (2, "OU"),
                [0x55, 0x04, 0x06] => (3, "C"),
                _ => continue,
            };
            parts.push((label.0, format!("{}={}", label.1, text(value_tag, value))));
        }
    }
    parts.sort_by_key(|(order, _)| *order);
    Some(parts.into_iter().map(|(_, p)| p).collect::<Vec<_>>().join(", "))
}

/// A directory string's text: BMPString is UTF-16, the others are read as UTF-8 (a superset of
/// the printable and IA5 alphabets). Control characters are dropped.
fn text(tag: u8, value: &[u8]) -> String {
    let s = if tag == 0x1e {
        let units: Vec<u16> =
            value.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(value).into_owned()
    };
    s.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// The common name (CN) of a name as [`names`] writes it, else the whole name.
pub fn common_name(name: &str) -> &str {
    name.split(", ").find_map(|p| p.strip_prefix("CN=")).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(names(b""), None);
        assert_eq!(names(&[0x30, 0x82, 0xff]), None);
        assert_eq!(names(&[0x30, 0x03, 0x02, 0x01, 0x00]), None);
    }

    #[test]
    fn a_real_certificate_s_names_are_read() {
        // The test certificate of the connection check's TLS-inspection case (made with openssl).
        let der = include_bytes!("../../tests/doctor_support/certs/inspection.cert.der");
        let n = names(der).expect("a certificate");
        assert_eq!(n.issuer, "CN=Zscaler Root CA, O=Zscaler Inc., OU=Zscaler Inc., C=US");
        assert_eq!(n.subject, "CN=127.0.0.1");
        let ca = include_bytes!("../../tests/doctor_support/certs/unknown-ca.cert.der");
        let n = names(ca).expect("a certificate");
        assert_eq!(n.issuer, n.subject, "a root signs itself");
        assert_eq!(common_name(&n.issuer), "Northwind Test Root CA");
    }

    #[test]
    fn a_common_name_is_found() {
        assert_eq!(common_name("CN=Zscaler Root CA, O=Zscaler Inc."), "Zscaler Root CA");
        assert_eq!(common_name("O=Nobody"), "O=Nobody");
    }
}
