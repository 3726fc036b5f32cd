//! palisade-output
