//! CSV text through the `csv` crate, for every `--format csv` writer: the crate
//! quotes what needs quoting (names come from the user's file and may hold
//! commas, quotes or line breaks); the writers only say which fields go in a row.

/// Rows of CSV built in memory, the header first.
pub struct Records(csv::Writer<Vec<u8>>);

impl Records {
    pub fn new<I, S>(header: I) -> Records
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut r = Records(csv::Writer::from_writer(Vec::new()));
        r.row(header);
        r
    }

    /// One row. Writing to memory cannot fail, and each writer gives every row
    /// as many fields as its header (a row that did not would be left out, and
    /// the golden outputs would show it).
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let _ = self.0.write_record(fields);
    }

    /// The text: every field was a `str`, so it is UTF-8.
    pub fn finish(self) -> String {
        self.0.into_inner().ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Records;

    #[test]
    fn names_with_commas_quotes_and_line_breaks_are_quoted_and_others_are_not() {
        let mut r = Records::new(["scope", "name", "value"]);
        r.row(["caller", "Smith, \"VIP\"", "1.5"]);
        r.row(["caller", "two\nlines", ""]);
        r.row(["caller", "plain", "2"]);
        assert_eq!(
            r.finish(),
            "scope,name,value\ncaller,\"Smith, \"\"VIP\"\"\",1.5\ncaller,\"two\nlines\",\ncaller,plain,2\n"
        );
    }
}
