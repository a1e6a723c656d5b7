//! Source files and byte spans.
//!
//! Every diagnostic and every resolved element points back into the text the user wrote
//! through a [`Span`]: a file id plus a byte range. Line and column are computed on demand
//! from a per-file line index, so spans stay two words wide.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: the name shown to users, its path on disk (if any) and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The name used in diagnostics: the path as given, or `<stdin>`.
    pub name: String,
    /// Where includes are resolved from; `None` for standard input.
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<u32>,
    /// Characters before each [`CHAR_MARK_EVERY`]-byte block, computed on first use, so a
    /// column costs at most one block's scan even on a megabyte-long line.
    char_marks: std::sync::OnceLock<Vec<u32>>,
}

/// Bytes between two entries of [`SourceFile`]'s character index.
const CHAR_MARK_EVERY: usize = 1024;

/// Characters in a byte slice: the bytes that do not continue a UTF-8 sequence.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// A 1-based line and column (column counted in characters, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(name: String, path: Option<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile {
            name,
            path,
            text,
            line_starts,
            char_marks: std::sync::OnceLock::new(),
        }
    }

    /// `offset` clamped to the text and moved back to the start of the character it falls in.
    pub fn floor_char(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// `offset` clamped to the text and moved on to the end of the character it falls in.
    pub fn ceil_char(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }

    /// The byte range of a span inside this file, on character boundaries and never
    /// empty when the file is not: the one place spans are made safe to slice with.
    pub fn char_range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.floor_char(span.start as usize);
        let end = self.ceil_char((span.end as usize).max(start));
        if end > start || start == self.text.len() {
            return start..end;
        }
        let next = self.text[start..].chars().next().map_or(0, char::len_utf8);
        start..start + next
    }

    /// Characters in the text before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut marks = Vec::with_capacity(bytes.len() / CHAR_MARK_EVERY + 1);
            let mut total = 0u32;
            for block in bytes.chunks(CHAR_MARK_EVERY) {
                marks.push(total);
                total = total.saturating_add(count_chars(block) as u32);
            }
            // The end of a text whose length is a whole number of blocks is a block start.
            marks.push(total);
            marks
        });
        let block = offset / CHAR_MARK_EVERY;
        let before = marks.get(block).copied().unwrap_or(0) as usize;
        let from = (block * CHAR_MARK_EVERY).min(offset);
        before + count_chars(&self.text.as_bytes()[from..offset])
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = self.floor_char(offset as usize);
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let start = self.line_starts[line] as usize;
        let column = self.chars_before(offset.max(start)) - self.chars_before(start);
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Byte range of the 1-based line `line`, without its line break.
    pub fn line_range(&self, line: u32) -> std::ops::Range<usize> {
        let idx = (line.max(1) - 1) as usize;
        let start = self.line_starts.get(idx).copied().unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize - 1);
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    /// The folder includes are resolved against.
    pub fn dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// All files of one load, in the order they were read.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 4 billion files"))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// `file:line:column` of the start of a span.
    pub fn describe(&self, span: Span) -> String {
        let file = self.get(span.file);
        let lc = file.line_col(span.start);
        format!("{}:{}:{}", file.name, lc.line, lc.column)
    }
}
