import Foundation

#if FUZZING
/// libFuzzer's driver, called from our own `main` (SwiftPM renames an executable's `main`,
/// so libFuzzer's own cannot be used).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

/// `make fuzz` builds this with `-sanitize=fuzzer,address -DFUZZING`; a plain build lists the targets.
/// The target comes from `LEAKWARD_FUZZ_TARGET`.
@main
enum FuzzEntry {
    static let target = ProcessInfo.processInfo.environment["LEAKWARD_FUZZ_TARGET"] ?? "matcher"

    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        _ = FuzzTarget.names  // initialise rules before the clock starts
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            FuzzTarget.run(FuzzEntry.target, data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        })
        #else
        print("leakward-fuzz: build with `make fuzz`. Targets: \(FuzzTarget.names.joined(separator: ", "))")
        #endif
    }
}
