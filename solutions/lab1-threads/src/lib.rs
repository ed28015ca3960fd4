//! Lab 1 reference.
