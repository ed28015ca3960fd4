//! Placeholder: a helper is writing the hidden tests of this exercise.
