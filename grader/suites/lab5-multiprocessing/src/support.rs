//! Helpers shared by the modules of this suite.
