import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// posix_openpt, grantpt, unlockpt and ptsname_r from the C library. Swift's Glibc module hides
/// them (they need _XOPEN_SOURCE), so they are looked up by name.
public enum PtyFunctions {
    public typealias IntToInt = @convention(c) (Int32) -> Int32
    public typealias PtsnameR = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    public static func symbol<T>(_ name: String, _: T.Type) -> T {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("no \(name) in libc") }
        return unsafeBitCast(p, to: T.self)
    }

    public static let posixOpenpt = symbol("posix_openpt", IntToInt.self)
    public static let grantpt = symbol("grantpt", IntToInt.self)
    public static let unlockpt = symbol("unlockpt", IntToInt.self)
    public static let ptsnameR = symbol("ptsname_r", PtsnameR.self)
}
