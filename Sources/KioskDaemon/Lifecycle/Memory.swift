import CMalloc

/// Gives memory the allocator holds but no longer uses back to the system. glibc keeps freed
/// blocks in its arenas, so after a flood (thousands of connections, cut-off subscribers) the
/// daemon's resident memory would stay at its peak for good without this.
enum Memory {
    static func giveBack() { _ = malloc_trim(0) }
}
