//! Placeholder: a helper is writing the public tests of this exercise.
