//! palisade-flow
