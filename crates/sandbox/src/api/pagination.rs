//! Paged lists: `page[number]` and `page[size]`, `meta.record-count`/`page-count`, and the
//! `first`/`last`/`next`/`prev` links (next and prev omitted at the ends).

use serde_json::{json, Map, Value};

use super::errors::ApiError;

/// Page size when `page[size]` is absent.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 10;
/// Largest accepted `page[size]`.
pub(crate) const MAX_PAGE_SIZE: usize = 250;

/// The page asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub number: usize,
    pub size: usize,
}

fn invalid(value: &str, param: &str) -> ApiError {
    ApiError::bad_request(
        "Invalid page value",
        format!("{value} is not a valid value for {param} page parameter."),
        "118",
    )
}

/// Reads `page[...]` from the query pairs.
pub(crate) fn parse(query: &[(String, String)]) -> Result<Page, ApiError> {
    let mut page = Page { number: 1, size: DEFAULT_PAGE_SIZE };
    for (key, value) in query {
        let Some(param) = key.strip_prefix("page[").and_then(|k| k.strip_suffix(']')) else {
            continue;
        };
        let parsed = value.trim().parse::<usize>().ok().filter(|n| *n >= 1);
        match param {
            "number" => page.number = parsed.ok_or_else(|| invalid(value, "number"))?,
            "size" => {
                page.size = parsed.ok_or_else(|| invalid(value, "size"))?;
                if page.size > MAX_PAGE_SIZE {
                    return Err(ApiError::bad_request(
                        "Invalid page value",
                        format!("size exceeds maximum page size of {MAX_PAGE_SIZE}."),
                        "118",
                    ));
                }
            }
            other => {
                return Err(ApiError::bad_request(
                    "Page parameter not allowed",
                    format!("{other} is not an allowed page parameter."),
                    "105",
                ))
            }
        }
    }
    Ok(page)
}

/// Number of pages for `total` records (0 when there are none).
pub(crate) fn page_count(total: usize, size: usize) -> usize {
    total.div_ceil(size)
}

/// The slice of `items` on `page` (empty past the end).
pub(crate) fn slice<T>(items: &[T], page: Page) -> &[T] {
    let start = (page.number - 1).saturating_mul(page.size).min(items.len());
    let end = start.saturating_add(page.size).min(items.len());
    &items[start..end]
}

/// `meta` of a list.
pub(crate) fn meta(total: usize, page: Page) -> Value {
    json!({"record-count": total, "page-count": page_count(total, page.size)})
}

/// `links` of a list at `url` (absolute, without query), keeping the other query parameters.
pub(crate) fn links(url: &str, query: &[(String, String)], page: Page, total: usize) -> Value {
    let last = page_count(total, page.size).max(1);
    let link = |number: usize| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in query.iter().filter(|(k, _)| !k.starts_with("page[")) {
            ser.append_pair(k, v);
        }
        ser.append_pair("page[number]", &number.to_string());
        ser.append_pair("page[size]", &page.size.to_string());
        Value::String(format!("{url}?{}", ser.finish()))
    };
    let mut links = Map::new();
    links.insert("first".to_owned(), link(1));
    if page.number > 1 {
        links.insert("prev".to_owned(), link((page.number - 1).min(last)));
    }
    if page.number < last {
        links.insert("next".to_owned(), link(page.number + 1));
    }
    links.insert("last".to_owned(), link(last));
    Value::Object(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_and_counts() {
        let items: Vec<u32> = (0..25).collect();
        let p = |number, size| Page { number, size };
        assert_eq!(slice(&items, p(3, 10)), &[20, 21, 22, 23, 24]);
        assert!(slice(&items, p(9, 10)).is_empty());
        assert_eq!(page_count(25, 10), 3);
        assert_eq!(page_count(0, 10), 0);
        let l = links("http://x/v1/projects", &[], p(1, 10), 25);
        assert!(l.get("prev").is_none());
        assert_eq!(l["next"], "http://x/v1/projects?page%5Bnumber%5D=2&page%5Bsize%5D=10");
    }
}
