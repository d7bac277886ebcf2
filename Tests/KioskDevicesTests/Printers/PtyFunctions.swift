import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// posix_openpt, grantpt, unlockpt and ptsname_r from the C library. Swift's Glibc module hides
/// them (they need _XOPEN_SOURCE), so they are looked up by name.
enum PtyFunctions {
    typealias IntToInt = @convention(c) (Int32) -> Int32
    typealias PtsnameR = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    static func symbol<T>(_ name: String, _: T.Type) -> T {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("no \(name) in libc") }
        return unsafeBitCast(p, to: T.self)
    }

    static let posixOpenpt = symbol("posix_openpt", IntToInt.self)
    static let grantpt = symbol("grantpt", IntToInt.self)
    static let unlockpt = symbol("unlockpt", IntToInt.self)
    static let ptsnameR = symbol("ptsname_r", PtsnameR.self)
}
