//! labkit
