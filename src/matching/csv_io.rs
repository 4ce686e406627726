//! CSV input and JSON/CSV output for `kith match`: strict readers whose errors name the file,
//! line and column, and renderers that build the whole output in memory.
//!
//! Input columns: `id`, `member`, `text` required; `category`, `community` optional; in any
//! order. Header names are matched case-insensitively after trimming. Unknown extra columns
//! are ignored (so exports from other tools can be fed in as they are), but every row must
//! still have exactly as many fields as the header.

use super::query::{Mode, WantMatches};
use super::{Id, Index, Item, Vocabulary};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// A malformed input file: where and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {}{message}", column.as_ref().map(|c| format!("column '{c}': ")).unwrap_or_default())]
pub struct CsvError {
    /// File name as given.
    pub file: String,
    /// 1-based line number (0 if the file could not be read at all).
    pub line: u64,
    /// Column concerned, if any.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Output format of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON array in wants-file order.
    #[default]
    Json,
    /// Flat rows `want,offer,member,score,strong,why`.
    Csv,
}

/// Options for [`run_match`].
#[derive(Clone)]
pub struct MatchOptions {
    /// Matches per want (default 5).
    pub top: usize,
    /// Output format (default JSON).
    pub format: OutputFormat,
    /// Indexed (default) or exhaustive.
    pub mode: Mode,
    /// Vocabulary to use; `None` for the built-in one.
    pub vocabulary: Option<Arc<Vocabulary>>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            top: 5,
            format: OutputFormat::Json,
            mode: Mode::Indexed,
            vocabulary: None,
        }
    }
}

const REQUIRED: [&str; 3] = ["id", "member", "text"];
const OPTIONAL: [&str; 2] = ["category", "community"];

/// Reads offers or wants from CSV bytes. `file` is only used in error messages.
pub fn read_items(reader: impl Read, file: &str) -> Result<Vec<Item>, CsvError> {
    let err = |line: u64, column: Option<&str>, message: String| CsvError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut records = rdr.byte_records();
    let header = match records.next() {
        None => return Err(err(1, None, "empty file: expected a header row".into())),
        Some(r) => r.map_err(|e| err(e.position().map_or(1, |p| p.line()), None, e.to_string()))?,
    };
    let mut names: Vec<String> = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name = std::str::from_utf8(raw)
            .map_err(|_| {
                err(
                    1,
                    None,
                    format!("header field {} is not valid UTF-8", i + 1),
                )
            })?
            .trim()
            .to_ascii_lowercase();
        if names.contains(&name) {
            return Err(err(1, Some(&name), "duplicate column in header".into()));
        }
        names.push(name);
    }
    let col = |n: &str| names.iter().position(|c| c == n);
    for r in REQUIRED {
        if col(r).is_none() {
            return Err(err(
                1,
                Some(r),
                format!("missing required column (header has: {})", names.join(",")),
            ));
        }
    }
    let idx: HashMap<&str, usize> = REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .filter_map(|&n| Some((n, col(n)?)))
        .collect();
    let mut items = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for rec in records {
        let rec =
            rec.map_err(|e| err(e.position().map_or(0, |p| p.line()), None, e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != names.len() {
            let column = names.get(rec.len()).map_or("(extra field)", |s| s.as_str());
            return Err(err(
                line,
                Some(column),
                format!("expected {} fields, found {}", names.len(), rec.len()),
            ));
        }
        let field = |name: &str| -> Result<Option<String>, CsvError> {
            let Some(&i) = idx.get(name) else {
                return Ok(None);
            };
            let s = std::str::from_utf8(&rec[i])
                .map_err(|_| err(line, Some(name), "not valid UTF-8".into()))?;
            Ok(Some(s.trim().to_string()))
        };
        let required = |name: &str| -> Result<String, CsvError> {
            let v = field(name)?.unwrap_or_default();
            if v.is_empty() {
                return Err(err(line, Some(name), "must not be empty".into()));
            }
            Ok(v)
        };
        let id = required("id")?;
        let member = required("member")?;
        let text = required("text")?;
        let category = field("category")?.filter(|s| !s.is_empty());
        let community = field("community")?.filter(|s| !s.is_empty());
        if let Some(first) = first_line.get(&id) {
            return Err(err(
                line,
                Some("id"),
                format!("duplicate id '{id}' (first on line {first})"),
            ));
        }
        first_line.insert(id.clone(), line);
        items.push(Item {
            id,
            member,
            text,
            category,
            community,
        });
    }
    Ok(items)
}

fn read_file(path: &Path) -> Result<Vec<Item>, CsvError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CsvError {
        file: name.clone(),
        line: 0,
        column: None,
        message: format!("cannot read: {e}"),
    })?;
    read_items(bytes.as_slice(), &name)
}

/// Matches every want against the offers; results in the order of `wants`.
pub fn run_match(offers: Vec<Item>, wants: Vec<Item>, opts: &MatchOptions) -> Vec<WantMatches> {
    let vocab = opts
        .vocabulary
        .clone()
        .unwrap_or_else(|| Arc::new(Vocabulary::builtin()));
    let order: Vec<Id> = wants.iter().map(|w| Id::from(w.id.as_str())).collect();
    let index = Index::build(vocab, offers, wants);
    let mut by_id: HashMap<Id, WantMatches> = index
        .top_k_for_all_wants(opts.top, opts.mode)
        .into_iter()
        .map(|w| (w.want.clone(), w))
        .collect();
    order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect()
}

/// Reads both files, matches, and renders the complete output (nothing is printed here).
pub fn run_match_files(
    offers: &Path,
    wants: &Path,
    opts: &MatchOptions,
) -> Result<String, CsvError> {
    let offers = read_file(offers)?;
    let wants = read_file(wants)?;
    Ok(render(&run_match(offers, wants, opts), opts.format))
}

fn round3(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}

#[derive(serde::Serialize)]
struct JsonMatch<'a> {
    offer: &'a str,
    member: &'a str,
    score: f64,
    strong: bool,
    why: &'a str,
}

#[derive(serde::Serialize)]
struct JsonWant<'a> {
    want: &'a str,
    matches: Vec<JsonMatch<'a>>,
}

/// Renders results as JSON (`[{"want":..,"matches":[{"offer","member","score","strong","why"}]}]`)
/// or flat CSV (`want,offer,member,score,strong,why`). Scores are rounded to 3 decimals;
/// `member` is the offer's member. Output ends with a newline.
pub fn render(results: &[WantMatches], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => {
            let v: Vec<JsonWant> = results
                .iter()
                .map(|w| JsonWant {
                    want: &w.want,
                    matches: w
                        .matches
                        .iter()
                        .map(|m| JsonMatch {
                            offer: &m.offer,
                            member: &m.offer_member,
                            score: round3(m.score),
                            strong: m.strong,
                            why: &m.why,
                        })
                        .collect(),
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&v).expect("plain data serialises");
            s.push('\n');
            s
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["want", "offer", "member", "score", "strong", "why"])
                .expect("in-memory write");
            for r in results {
                for m in &r.matches {
                    let score = format!("{:.3}", round3(m.score));
                    let strong = m.strong.to_string();
                    w.write_record([
                        &r.want,
                        &m.offer,
                        &m.offer_member,
                        score.as_str(),
                        &strong,
                        &m.why,
                    ])
                    .expect("in-memory write");
                }
            }
            String::from_utf8(w.into_inner().expect("in-memory flush")).expect("fields are UTF-8")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> Result<Vec<Item>, CsvError> {
        read_items(s, "offers.csv")
    }

    #[test]
    fn reads_columns_in_any_order_with_optional_and_extra() {
        let items = read(
            b"text,notes,ID,member,community\n\"Guitar, lessons\",x,o1,m1,north\nZumba,,o2,m2,\n",
        )
        .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].id, "o1");
        assert_eq!(items[0].text, "Guitar, lessons");
        assert_eq!(items[0].community.as_deref(), Some("north"));
        assert_eq!(items[1].community, None);
        assert_eq!(items[1].category, None);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = read(b"id,text\no1,hi\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (1, Some("member")));
        let e = read(b"id,member,text\no1,m1,hi\no2,m2\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (3, Some("text")));
        assert!(
            e.to_string().starts_with("offers.csv:3: column 'text'"),
            "{e}"
        );
        let e = read(b"id,member,text\no1,m1,hi,extra\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (2, Some("(extra field)")));
        let e = read(b"id,member,text\no1,m1,hi\n ,m2,yo\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (3, Some("id")));
        let e = read(b"id,member,text\no1,m1,\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (2, Some("text")));
        let e = read(b"id,member,text\no1,m1,a\no2,m1,b\no1,m3,c\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (4, Some("id")));
        assert!(e.message.contains("line 2"));
        let e = read(b"id,member,text\no1,m1,caf\xe9\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (2, Some("text")));
        let e = read(b"").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn multi_line_quoted_fields_report_the_right_line() {
        let e = read(b"id,member,text\no1,m1,\"two\nlines\"\no2,,x\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (4, Some("member")));
    }

    #[test]
    fn renders_json_and_csv() {
        let offers =
            read(b"id,member,text\no1,ann,Guitar lessons\no2,cat,Piano lessons\n").unwrap();
        let wants = read_items(
            &b"id,member,text\nw2,bob,learn Mandarin\nw1,bob,gitar lessons\n"[..],
            "w.csv",
        )
        .unwrap();
        let res = run_match(offers, wants, &MatchOptions::default());
        assert_eq!(
            res.iter().map(|w| w.want.as_str()).collect::<Vec<_>>(),
            ["w2", "w1"]
        );
        let json = render(&res, OutputFormat::Json);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["want"], "w2");
        assert_eq!(v[0]["matches"].as_array().unwrap().len(), 0);
        let m = &v[1]["matches"][0];
        assert_eq!(m["offer"], "o1");
        assert_eq!(m["member"], "ann");
        assert_eq!(m["strong"], true);
        let score = m["score"].as_f64().unwrap();
        assert_eq!((score * 1000.0).round() / 1000.0, score);
        assert!(m["why"].as_str().unwrap().contains("gitar"));
        let csv = render(&res, OutputFormat::Csv);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("want,offer,member,score,strong,why"));
        assert!(lines.next().unwrap().starts_with("w1,o1,ann,"));
    }
}
