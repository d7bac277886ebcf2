import CPangoCairo
import Synchronization

/// Pango font maps for concurrent renderings: each rendering borrows one map for its duration.
///
/// Why a pool: a `PangoFontMap` (fontconfig-backed, from `pango_cairo_font_map_new`) caches
/// fontsets, fonts and HarfBuzz faces and mutates those caches during layout without locking;
/// Pango's rule is that one object is used by one thread at a time. The alternatives are worse:
/// - `pango_cairo_font_map_get_default()` is per *thread*; Swift tasks and dispatch queues hop
///   between pool threads, so every thread would build (and never free) its own map and pay the
///   cold font loading again;
/// - one shared map behind a lock would serialise all rendering on a multi-core hall server.
/// So maps are created on demand, lent to one rendering at a time under a `Mutex`, and returned
/// warm: sequential renderings reuse one map (fast after the first), concurrent ones get distinct
/// maps, and the pool grows to the peak concurrency only. cairo (per-call surfaces and contexts,
/// internally locked global font caches) and fontconfig (thread-safe since 2.10) need no more.
final class FontMapPool: Sendable {
    /// A font map; only ever used by the rendering that holds it.
    struct FontMap: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<PangoFontMap>
    }

    private let idle = Mutex<[FontMap]>([])
    /// Idle maps kept beyond this are freed (each holds its own font caches).
    private let maximumIdle: Int

    init(maximumIdle: Int = 8) {
        self.maximumIdle = maximumIdle
    }

    deinit {
        idle.withLock { maps in
            for map in maps { g_object_unref(map.pointer) }
            maps.removeAll()
        }
    }

    /// Runs `body` with a font map no other thread uses meanwhile.
    func withFontMap<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<PangoFontMap>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let map = idle.withLock { $0.popLast() } ?? Self.makeFontMap()
        defer {
            let surplus: FontMap? = idle.withLock { maps in
                guard maps.count < maximumIdle else { return map }
                maps.append(map)
                return nil
            }
            if let surplus { g_object_unref(surplus.pointer) }
        }
        return try body(map.pointer)
    }

    private static func makeFontMap() -> FontMap {
        let map = pango_cairo_font_map_new()!
        // Sizes are given in points and the PDF's user space is in points.
        pango_cairo_font_map_set_resolution(OpaquePointer(map), 72)
        return FontMap(pointer: map)
    }
}
