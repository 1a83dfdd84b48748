//! Unit tests of the architecture checks.
