//! typed views
