//! Tests of the studio's plain parts: field paths, CSV, contrast, the words of a diff, the bench's verdicts.
