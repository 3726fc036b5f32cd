//! TCP session tracker. (Being written.)
