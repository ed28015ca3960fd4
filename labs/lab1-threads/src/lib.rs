//! Lab 1.
